/** Shown for a wrong, revoked or incomplete link, and for an unknown order: the same page, no data. */
import type { Messages } from '../i18n';
import { h, replace } from './dom';

export function renderInvalidLink(main: HTMLElement, m: Messages): void {
  replace(
    main,
    h(
      'section',
      { class: 'notice notice--invalid', 'data-testid': 'invalid-link' },
      h('h1', {}, m.invalidLinkTitle),
      h('p', {}, m.invalidLinkBody),
    ),
  );
}

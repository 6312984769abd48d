/** Header (name, language switch) and footer, around whichever page is shown in <main>. */
import { LANGS, type Lang, MESSAGES, type Messages } from '../i18n';
import { h, replace } from './dom';

/** `m`: the page's words, or the console's (its own product name). */
export function renderHeader(
  header: HTMLElement,
  m: Pick<Messages, 'productName' | 'languageSwitchLabel'>,
  current: Lang,
  onSwitch: (lang: Lang) => void,
): void {
  const group = h('div', { class: 'lang-switch', role: 'group', 'aria-label': m.languageSwitchLabel });
  for (const lang of LANGS) {
    group.append(
      h(
        'button',
        {
          type: 'button',
          lang,
          'aria-pressed': lang === current ? 'true' : 'false',
          onclick: () => onSwitch(lang),
        },
        MESSAGES[lang].langName,
      ),
    );
  }
  replace(header, h('div', { class: 'site-header__inner' }, h('p', { class: 'site-name' }, m.productName), group));
}

export function renderFooter(footer: HTMLElement, m: Pick<Messages, 'footer'>): void {
  replace(footer, h('p', {}, m.footer));
}

export function renderSkipLink(link: HTMLAnchorElement, m: Messages): void {
  link.textContent = m.skipToContent;
}

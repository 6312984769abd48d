import './style.css';
import { FileVerifier } from './file-verifier';
import { type Lang, MESSAGES, pickLang } from './i18n';
import { OrderPage } from './order-page';
import { parseRoute } from './route';
import { pageTrust } from './trust-source';
import { BrowserVerifier } from './verification';
import { renderInvalidLink } from './views/invalid-link';
import { renderFooter, renderHeader, renderSkipLink } from './views/layout';

const LANG_KEY = 'ordertrace.lang';

function storedLang(): string | null {
  try {
    return localStorage.getItem(LANG_KEY);
  } catch {
    return null; // storage disabled (private mode): follow the browser
  }
}

function storeLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // the switch still works for this visit
  }
}

function required<T extends Element>(selector: string): T {
  const el = document.querySelector<T>(selector);
  if (el === null) throw new Error(`index.html lacks ${selector}`);
  return el;
}

const header = required<HTMLElement>('header');
const main = required<HTMLElement>('main');
const footer = required<HTMLElement>('footer');
const skip = required<HTMLAnchorElement>('.skip-link');

let lang: Lang = pickLang(storedLang(), navigator.languages?.length ? navigator.languages : [navigator.language]);
const text = () => ({ m: MESSAGES[lang], lang });
const verifier = new BrowserVerifier();

interface Page {
  render(): void;
  stop?(): void;
}

function mount(): Page {
  const route = parseRoute(location.pathname, location.hash, location.origin);
  switch (route.kind) {
    case 'order': {
      const page = new OrderPage(main, route.api, route.orderId, route.token, verifier, text);
      page.start();
      return page;
    }
    case 'invalid-link':
      return { render: () => renderInvalidLink(main, MESSAGES[lang]) };
    case 'file': {
      const file = new FileVerifier(verifier, text, 'h1');
      main.replaceChildren(file.element);
      void pageTrust().then((trust) => {
        if (trust.kind === 'pinned') file.suggestRpcUrl(trust.trust.rpc.join(' '));
      });
      return file;
    }
  }
}

function renderChrome(): void {
  const m = MESSAGES[lang];
  document.documentElement.lang = lang;
  document.title = m.htmlTitle;
  renderSkipLink(skip, m);
  renderHeader(header, m, lang, (next) => {
    lang = next;
    storeLang(next);
    renderChrome();
    page.render();
  });
  renderFooter(footer, m);
}

let page = mount();
renderChrome();
page.render();

// A different token typed into the address bar is a different link.
window.addEventListener('hashchange', () => {
  page.stop?.();
  page = mount();
  page.render();
});

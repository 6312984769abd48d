import '../style.css';
import './console.css';
import { type Lang, MESSAGES, pickLang } from '../i18n';
import { renderFooter, renderHeader, renderSkipLink } from '../views/layout';
import { ConsoleApp } from './console-app';
import { CONSOLE_MESSAGES } from './console-i18n';

function required<T extends Element>(selector: string): T {
  const el = document.querySelector<T>(selector);
  if (el === null) throw new Error(`console.html lacks ${selector}`);
  return el;
}

const header = required<HTMLElement>('header');
const main = required<HTMLElement>('main');
const footer = required<HTMLElement>('footer');
const skip = required<HTMLAnchorElement>('.skip-link');

// Nothing is stored by the console, not even the language: it follows the browser until switched.
let lang: Lang = pickLang(null, navigator.languages?.length ? navigator.languages : [navigator.language]);
const app = new ConsoleApp(main, () => ({ m: MESSAGES[lang], c: CONSOLE_MESSAGES[lang], lang }));

function renderChrome(): void {
  const c = CONSOLE_MESSAGES[lang];
  document.documentElement.lang = lang;
  document.title = c.htmlTitle;
  renderSkipLink(skip, MESSAGES[lang]);
  renderHeader(header, { productName: c.productName, languageSwitchLabel: MESSAGES[lang].languageSwitchLabel }, lang, (next) => {
    lang = next;
    renderChrome();
    app.render();
  });
  renderFooter(footer, c);
}

renderChrome();
app.render();

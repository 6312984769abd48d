/**
 * Offline verification of a bundle file (an arbitrator's export): the file is read locally and
 * checked against any node of its chain. Nothing is uploaded.
 */
import type { Lang, Messages } from './i18n';
import { trustedEndpoints } from '../../proof/trust';
import { pageTrust } from './trust-source';
import type { BrowserVerifier } from './verification';
import { h } from './views/dom';
import { createVerificationView, type Shown, showVerification, type VerificationView } from './views/verification-view';

/** Far above any real order's bundle; stops a wrong file from freezing the tab. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

type FileState = { kind: 'none' } | { kind: 'error'; message: (m: Messages) => string } | { kind: 'loaded'; name: string; bundle: unknown };

export class FileVerifier {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly rpcInput: HTMLInputElement;
  private readonly dropZone: HTMLLabelElement;
  private readonly dropText: HTMLElement;
  private readonly verifyButton: HTMLButtonElement;
  private readonly error: HTMLElement;
  private readonly view: VerificationView;
  private readonly heading: HTMLElement;
  private readonly intro: HTMLElement;
  private readonly rpcLabel: HTMLLabelElement;
  private readonly rpcHint: HTMLElement;
  private file: FileState = { kind: 'none' };
  private shown: Shown | null = null;
  private run = 0;

  constructor(
    private readonly verifier: BrowserVerifier,
    private readonly text: () => { m: Messages; lang: Lang },
    headingLevel: 'h1' | 'h2',
  ) {
    this.heading = h(headingLevel, { id: 'file-heading' });
    this.intro = h('p');
    this.input = h('input', {
      type: 'file',
      id: 'bundle-file',
      accept: '.json,application/json',
      class: 'visually-hidden',
      'data-testid': 'bundle-file',
    });
    this.dropText = h('span', { class: 'dropzone__text' });
    this.dropZone = h('label', { for: 'bundle-file', class: 'dropzone' }, this.dropText, this.input);
    this.rpcInput = h('input', {
      type: 'url',
      id: 'rpc-url',
      inputmode: 'url',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': 'rpc-url-hint',
      'data-testid': 'rpc-url',
    });
    this.rpcLabel = h('label', { for: 'rpc-url' });
    this.rpcHint = h('p', { id: 'rpc-url-hint', class: 'hint' });
    this.verifyButton = h('button', { type: 'submit', class: 'button', 'data-testid': 'verify-file' });
    this.error = h('p', { class: 'form-error', role: 'alert' });
    this.view = createVerificationView({ verdict: 'file-verdict', row: 'file-event-row' }, 'file-history-heading');
    this.view.verdict.hidden = true;

    const form = h(
      'form',
      { class: 'file-form', novalidate: true },
      this.dropZone,
      h('div', { class: 'field' }, this.rpcLabel, this.rpcInput, this.rpcHint),
      this.verifyButton,
      this.error,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.verify();
    });
    this.input.addEventListener('change', () => {
      const f = this.input.files?.[0];
      if (f) void this.load(f);
    });
    this.dropZone.addEventListener('dragover', (e) => {
      e.preventDefault();
      this.dropZone.classList.add('dropzone--over');
    });
    this.dropZone.addEventListener('dragleave', () => this.dropZone.classList.remove('dropzone--over'));
    this.dropZone.addEventListener('drop', (e) => {
      e.preventDefault();
      this.dropZone.classList.remove('dropzone--over');
      const f = e.dataTransfer?.files?.[0];
      if (f) void this.load(f);
    });

    this.element = h(
      'section',
      { class: 'file-verifier', 'aria-labelledby': 'file-heading' },
      this.heading,
      this.intro,
      form,
      this.view.verdict,
      this.view.summary,
      this.view.history,
      this.view.anchoring,
      this.view.checks,
    );
    this.render();
  }

  /** Prefills the node URLs (the page's trust anchors', space-separated) unless the user already typed some. */
  suggestRpcUrl(url: string): void {
    if (this.rpcInput.value.trim() === '') this.rpcInput.value = url;
  }

  render(): void {
    const { m, lang } = this.text();
    this.heading.textContent = m.fileHeading;
    this.intro.textContent = m.fileIntro;
    this.dropText.textContent = this.file.kind === 'loaded' ? m.fileChosen(this.file.name) : m.fileDrop;
    this.rpcLabel.textContent = m.rpcUrlLabel;
    this.rpcHint.textContent = m.rpcUrlHint;
    this.verifyButton.textContent = m.verifyFileButton;
    this.error.textContent = this.file.kind === 'error' ? this.file.message(m) : '';
    if (this.shown !== null) showVerification(this.view, this.shown, m, lang);
  }

  private async load(file: File): Promise<void> {
    this.shown = null;
    this.view.verdict.hidden = true;
    this.view.summary.hidden = true;
    this.view.history.hidden = true;
    this.view.anchoring.hidden = true;
    this.view.checks.hidden = true;
    if (file.size > MAX_FILE_BYTES) {
      this.file = { kind: 'error', message: (m) => m.fileTooLarge };
    } else {
      try {
        this.file = { kind: 'loaded', name: file.name, bundle: JSON.parse(await file.text()) as unknown };
      } catch {
        this.file = { kind: 'error', message: (m) => m.fileNotJson };
      }
    }
    this.render();
    if (this.file.kind === 'loaded' && this.rpcInput.value.trim() !== '') await this.verify();
  }

  private async verify(): Promise<void> {
    if (this.file.kind !== 'loaded') {
      if (this.file.kind === 'none') this.input.focus();
      return;
    }
    const typed = this.rpcInput.value.trim();
    const rpcUrls = typed.split(/[\s,]+/).filter((u) => u !== '');
    if (rpcUrls.length === 0 || !rpcUrls.every((u) => /^https?:\/\/./i.test(u))) {
      this.error.textContent = this.text().m.fileNeedsRpc;
      this.rpcInput.focus();
      return;
    }
    const run = ++this.run;
    this.error.textContent = '';
    this.shown = { kind: 'checking' };
    this.view.verdict.hidden = false;
    this.render();
    let outcome: Shown;
    try {
      // Pinned by the page's trust anchors when it has them; the endpoints are the user's to choose.
      const trust = await pageTrust();
      const pin = trust.kind === 'pinned' ? trust : null;
      const urls = pin && typed === pin.trust.rpc.join(' ') ? trustedEndpoints(pin.trust, this.file.bundle) : rpcUrls;
      outcome = await this.verifier.check(this.file.bundle, urls, pin);
    } catch (err) {
      outcome = { kind: 'malformed', problems: [String((err as Error)?.message ?? err)] };
    }
    if (run !== this.run) return; // a newer file or click superseded this check
    this.shown = outcome;
    this.render();
  }
}

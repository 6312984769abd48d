/**
 * The evidence report's text fonts: Noto Sans Hans (Simplified Chinese with Latin), shipped whole
 * by the npm package @embedpdf/fonts-sc under the SIL Open Font License 1.1 (see evidence/NOTICE.md).
 * pdfkit embeds only the glyphs a report uses, so a report stays small. Hashes and ids keep the
 * PDF's built-in Courier, which needs no embedding.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

export const SANS = 'NotoSansHans';
export const SANS_BOLD = 'NotoSansHans-Bold';
export const MONO = 'Courier';

const FILES = { [SANS]: 'NotoSansHans-Regular.otf', [SANS_BOLD]: 'NotoSansHans-Bold.otf' } as const;

interface LoadedFonts {
  files: Record<keyof typeof FILES, Buffer>;
  regular: fontkit.Font;
}

let loaded: LoadedFonts | undefined;

/** The folder of the Simplified Chinese fonts (also what the browser tests give Chromium for Chinese screenshots). */
export function reportFontDir(): string {
  // The package exports only its index; the font files sit beside its dist folder.
  return join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
}

/** Read once per process: each font file is several megabytes. */
function fonts(): LoadedFonts {
  if (loaded === undefined) {
    const dir = reportFontDir();
    const files = { [SANS]: readFileSync(join(dir, FILES[SANS])), [SANS_BOLD]: readFileSync(join(dir, FILES[SANS_BOLD])) };
    const regular = fontkit.create(files[SANS]);
    if (!('hasGlyphForCodePoint' in regular)) throw new Error(`${FILES[SANS]} is a font collection, not a font`);
    loaded = { files, regular };
  }
  return loaded;
}

export function registerReportFonts(doc: PDFKit.PDFDocument): void {
  const { files } = fonts();
  doc.registerFont(SANS, files[SANS]);
  doc.registerFont(SANS_BOLD, files[SANS_BOLD]);
}

/**
 * The text as the report's font can show it: a character the font has no glyph for (e.g. an emoji
 * or a script other than Latin and Chinese) is written as a \u escape rather than as an empty box,
 * so that nothing a bundle holds is silently lost; control characters become spaces.
 */
export function printable(text: string): string {
  const font = fonts().regular;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code === 0x0a || code === 0x09 || code === 0x0d) out += ' ';
    else if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0) && font.hasGlyphForCodePoint(code)) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\u{${code.toString(16)}}`;
  }
  return out;
}

/** The text of a PDF as a PDF text extractor reads it (pdf-parse, over Mozilla's pdf.js). */
// The library module itself: the package's index reads a sample PDF of its own when loaded without a parent module.
import pdfParse from 'pdf-parse/lib/pdf-parse.js';

export async function pdfText(pdf: Buffer): Promise<string> {
  return (await pdfParse(pdf)).text;
}

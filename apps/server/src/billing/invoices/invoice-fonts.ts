import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@foliojs-fork/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

const require = createRequire(import.meta.url);

/**
 * Arimo (SIL Open Font License 1.1) in TrueType, from the npm package @expo-google-fonts/arimo: it has
 * Helvetica's and Arial's widths, so the invoice keeps the layout it had with the standard Helvetica,
 * and covers German, €, dashes and most Latin, Greek and Cyrillic names (decision 150).
 */
const FONT_FILES = {
  regular: '@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf',
  bold: '@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf',
} as const;
type Weight = keyof typeof FONT_FILES;

let loaded: Promise<Record<Weight, Uint8Array>> | undefined;
/** Read once per process: every invoice embeds the same two files. */
function fontBytes(): Promise<Record<Weight, Uint8Array>> {
  loaded ??= Promise.all([
    readFile(require.resolve(FONT_FILES.regular)),
    readFile(require.resolve(FONT_FILES.bold)),
  ]).then(([regular, bold]) => ({ regular, bold }));
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

export interface InvoiceFonts {
  regular: PDFFont;
  bold: PDFFont;
  /** The text with every character the fonts cannot draw replaced by '?'. */
  printable(text: string): string;
}

/**
 * Embeds both weights as subsets (only the glyphs the invoice uses, so the PDF stays small); pdf-lib
 * writes each as a Type 0 font with the TrueType program (FontFile2), its widths and a ToUnicode map,
 * which PDF/A asks for and which keeps the text searchable and copyable. Subset names carry a
 * six-letter tag (ISO 32000 § 9.6.4) derived from the document, so the same invoice gives the same bytes.
 */
export async function embedInvoiceFonts(pdf: PDFDocument, documentNumber: string): Promise<InvoiceFonts> {
  const bytes = await fontBytes();
  pdf.registerFontkit(fontkit);
  const embed = (weight: Weight, postScriptName: string) =>
    pdf.embedFont(bytes[weight], {
      subset: true,
      customName: `${subsetTag(documentNumber, weight)}+${postScriptName}`,
    });
  const regular = await embed('regular', 'Arimo-Regular');
  const bold = await embed('bold', 'Arimo-Bold');
  // A character outside the font would be drawn as glyph 0 (.notdef), which PDF/A forbids; a name in
  // a script Arimo lacks is shown with '?' here and stays exact in the embedded XML.
  const inBold = new Set(bold.getCharacterSet());
  const drawable = new Set(regular.getCharacterSet().filter((code) => inBold.has(code)));
  return {
    regular,
    bold,
    printable: (text) =>
      Array.from(text, (char) => (drawable.has(char.codePointAt(0) ?? 0) ? char : '?')).join(''),
  };
}

function subsetTag(documentNumber: string, weight: Weight): string {
  const digest = createHash('sha256').update(`${documentNumber}:${weight}`).digest();
  return Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
}

import { AFRelationship, PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { EXEMPTION_TEXT, type InvoiceDocument } from './invoice-document.js';
import { embedInvoiceFonts } from './invoice-fonts.js';
import { declarePdfA3, FACTURX_FILE_NAME } from './pdfa-metadata.js';

const T = {
  invoice: { en: 'Invoice', de: 'Rechnung' },
  credit_note: { en: 'Credit note', de: 'Gutschrift (Rechnungskorrektur)' },
  number: { en: 'Number', de: 'Nummer' },
  date: { en: 'Date', de: 'Datum' },
  period: { en: 'Service period', de: 'Leistungszeitraum' },
  corrects: { en: 'Corrects invoice', de: 'Korrigiert Rechnung' },
  reason: { en: 'Reason', de: 'Grund' },
  refunded: {
    en: 'The amount is refunded to your payment method or settled with you.',
    de: 'Der Betrag wird auf Ihre Zahlungsart erstattet oder mit Ihnen verrechnet.',
  },
  po: { en: 'Your order reference', de: 'Ihre Bestellnummer' },
  vatIdSeller: { en: 'VAT ID', de: 'USt-IdNr.' },
  vatIdBuyer: { en: 'Your VAT ID', de: 'Ihre USt-IdNr.' },
  description: { en: 'Description', de: 'Beschreibung' },
  quantity: { en: 'Qty', de: 'Menge' },
  unitPrice: { en: 'Unit price', de: 'Einzelpreis' },
  amount: { en: 'Net', de: 'Netto' },
  net: { en: 'Total net', de: 'Summe netto' },
  vat: { en: 'VAT {rate} %', de: 'USt. {rate} %' },
  gross: { en: 'Total', de: 'Gesamtbetrag' },
  paid: { en: 'Paid — thank you.', de: 'Bezahlt – vielen Dank.' },
  due: { en: 'Please pay within 14 days.', de: 'Bitte zahlen Sie innerhalb von 14 Tagen.' },
  transfer: {
    en: 'Please transfer {amount} by {date} to the account below, with the invoice number {number} as reference.',
    de: 'Bitte überweisen Sie {amount} bis zum {date} auf das unten genannte Konto, mit der Rechnungsnummer {number} als Verwendungszweck.',
  },
  holder: { en: 'Account holder', de: 'Kontoinhaber' },
  bank: { en: 'Bank', de: 'Bank' },
  embedded: {
    en: 'This PDF carries the invoice as EN 16931 data (ZUGFeRD / Factur-X, file factur-x.xml).',
    de: 'Diese PDF-Datei enthält die Rechnung als EN-16931-Daten (ZUGFeRD / Factur-X, Datei factur-x.xml).',
  },
} as const;

function money(cents: number, lang: 'en' | 'de'): string {
  return new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-IE', {
    style: 'currency',
    currency: 'EUR',
  }).format(cents / 100);
}
function day(value: Date, lang: 'en' | 'de'): string {
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  }).format(value);
}

/**
 * The invoice for people: a PDF in the invoice's language with every element § 14 (4) UStG asks
 * for, and the EN 16931 XML embedded as `factur-x.xml` (associated file, relationship Alternative) so
 * software reads the same invoice; XMP metadata declare PDF/A-3 and the Factur-X properties (decision
 * 117) and the file meets PDF/A-3B: embedded fonts, an sRGB output intent (decision 150).
 */
export async function invoicePdf(doc: InvoiceDocument, xml: string): Promise<Uint8Array> {
  const lang = doc.language;
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const title = `${T[doc.kind][lang]} ${doc.number}`;
  pdf.setTitle(title);
  pdf.setAuthor(doc.seller.name);
  pdf.setCreator('Mailissa');
  pdf.setProducer('Mailissa');
  pdf.setCreationDate(doc.issuedAt);
  pdf.setModificationDate(doc.issuedAt);
  pdf.setLanguage(lang);
  declarePdfA3(pdf, {
    title,
    author: doc.seller.name,
    tool: 'Mailissa',
    created: doc.issuedAt,
    number: doc.number,
  });
  const page = pdf.addPage([595.28, 841.89]);
  const { regular, bold, printable } = await embedInvoiceFonts(pdf, doc.number);
  let y = 800;
  const write = (target: PDFPage, text: string, x: number, size = 10, font: PDFFont = regular) =>
    target.drawText(printable(text), { x, y, size, font, color: rgb(0.1, 0.1, 0.1) });
  const line = (text: string, size = 10, font: PDFFont = regular, x = 50) => {
    write(page, text, x, size, font);
    y -= size + 4;
  };

  line(doc.seller.name, 12, bold);
  for (const entry of doc.seller.addressLines) line(entry, 9);
  if (doc.seller.vatId) line(`${T.vatIdSeller[lang]}: ${doc.seller.vatId}`, 9);
  if (doc.seller.register) line(doc.seller.register, 9);
  y -= 16;
  line(doc.buyer.name, 11, bold);
  line(doc.buyer.contact);
  line(doc.buyer.street);
  line(`${doc.buyer.postalCode} ${doc.buyer.city}`);
  line(new Intl.DisplayNames([lang], { type: 'region' }).of(doc.buyer.country) ?? doc.buyer.country);
  if (doc.buyer.vatId) line(`${T.vatIdBuyer[lang]}: ${doc.buyer.vatId}`);
  y -= 16;
  line(`${T[doc.kind][lang]} ${doc.number}`, 16, bold);
  line(`${T.date[lang]}: ${day(doc.issuedAt, lang)}`);
  line(`${T.period[lang]}: ${day(doc.servicePeriodStart, lang)} – ${day(doc.servicePeriodEnd, lang)}`);
  if (doc.correctsNumber) line(`${T.corrects[lang]}: ${doc.correctsNumber}`);
  if (doc.reason) for (const chunk of wrap(`${T.reason[lang]}: ${doc.reason}`, 95)) line(chunk);
  if (doc.buyer.poReference) line(`${T.po[lang]}: ${doc.buyer.poReference}`);
  y -= 12;
  const columns = { description: 50, quantity: 330, unitPrice: 380, amount: 470 };
  write(page, T.description[lang], columns.description, 10, bold);
  write(page, T.quantity[lang], columns.quantity, 10, bold);
  write(page, T.unitPrice[lang], columns.unitPrice, 10, bold);
  write(page, T.amount[lang], columns.amount, 10, bold);
  y -= 16;
  for (const entry of doc.lines) {
    write(page, entry.description.slice(0, 60), columns.description);
    write(page, String(entry.quantity), columns.quantity);
    write(page, money(entry.unitPriceCents, lang), columns.unitPrice);
    write(page, money(entry.netCents, lang), columns.amount);
    y -= 14;
  }
  y -= 10;
  const total = (label: string, cents: number, font: PDFFont = regular) => {
    write(page, label, columns.unitPrice - 60, 10, font);
    write(page, money(cents, lang), columns.amount, 10, font);
    y -= 14;
  };
  total(T.net[lang], doc.netCents);
  total(T.vat[lang].replace('{rate}', doc.taxRatePercent.toLocaleString(lang)), doc.taxCents);
  total(T.gross[lang], doc.grossCents, bold);
  y -= 12;
  if (doc.taxTreatment !== 'standard') {
    for (const chunk of wrap(EXEMPTION_TEXT[doc.taxTreatment][lang], 95)) line(chunk, 9);
  }
  const transfer = doc.kind === 'invoice' && !doc.paid ? doc.bankTransfer : null;
  if (transfer) {
    const ask = T.transfer[lang]
      .replace('{amount}', money(doc.grossCents, lang))
      .replace('{date}', day(transfer.dueDate, lang))
      .replace('{number}', doc.number);
    for (const chunk of wrap(ask, 95)) line(chunk);
    line(`${T.holder[lang]}: ${transfer.accountHolder}`, 10, bold);
    line(`IBAN: ${transfer.iban.replace(/(.{4})/g, '$1 ').trim()}`, 10, bold);
    if (transfer.bic) line(`BIC: ${transfer.bic}`);
    if (transfer.bankName) line(`${T.bank[lang]}: ${transfer.bankName}`);
  } else line(doc.kind === 'credit_note' ? T.refunded[lang] : doc.paid ? T.paid[lang] : T.due[lang]);
  y = 60;
  line(T.embedded[lang], 8);

  await pdf.attach(new TextEncoder().encode(xml), FACTURX_FILE_NAME, {
    mimeType: 'text/xml',
    description: 'Factur-X / ZUGFeRD invoice data (EN 16931)',
    creationDate: doc.issuedAt,
    modificationDate: doc.issuedAt,
    afRelationship: AFRelationship.Alternative,
  });
  return pdf.save({ useObjectStreams: false });
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if ((current + word).length > width) {
      lines.push(current.trim());
      current = '';
    }
    current += `${word} `;
  }
  if (current.trim()) lines.push(current.trim());
  return lines;
}

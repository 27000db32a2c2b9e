import { spawn } from 'node:child_process';
import fontkit from '@foliojs-fork/fontkit';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { parse as parseIcc } from 'icc';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
} from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { InvoiceDocument } from './invoice-document.js';
import { invoicePdf } from './invoice-pdf.js';
import { EN16931_GUIDELINE, invoiceXml } from './invoice-xml.js';

const RSM = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';
const RAM = 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100';
const UDT = 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100';
const dates = (scope: Element) =>
  Array.from(scope.getElementsByTagNameNS(UDT, 'DateTimeString')).map((node) => node.textContent);

function documentFor(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const lines = [
    { description: 'Mailissa Suite, 5 users / month', quantity: 5, unitPriceCents: 850, netCents: 4250 },
    {
      description: 'Remaining time on 7 × Mailissa Suite',
      quantity: 1,
      unitPriceCents: 1133,
      netCents: 1133,
    },
    { description: 'Unused time on 5 × Mailissa Suite', quantity: -1, unitPriceCents: 810, netCents: -810 },
  ];
  const net = lines.reduce((sum, line) => sum + line.netCents, 0);
  const tax = Math.round(net * 0.19);
  return {
    number: '2026-00042',
    kind: 'invoice',
    correctsNumber: null,
    reason: null,
    issuedAt: new Date('2026-11-30T10:00:00Z'),
    servicePeriodStart: new Date('2026-11-30T00:00:00Z'),
    servicePeriodEnd: new Date('2026-12-30T00:00:00Z'),
    language: 'de',
    currency: 'EUR',
    seller: {
      name: 'Mailissa Demo GmbH',
      addressLines: ['Musterstraße 1', '12345 Musterstadt', 'Germany'],
      country: 'DE',
      vatId: 'DE136695976',
      email: 'info@mailissa.example',
      register: 'Amtsgericht Musterstadt, HRB 00000',
    },
    buyer: {
      name: 'Contoso & Söhne GmbH',
      contact: 'Jürgen Weiß',
      street: 'Hauptstraße 5',
      postalCode: '10115',
      city: 'Berlin',
      country: 'DE',
      vatId: null,
      email: 'rechnung@contoso.example',
      poReference: 'PO-77',
    },
    lines,
    netCents: net,
    taxRatePercent: 19,
    taxCents: tax,
    grossCents: net + tax,
    taxTreatment: 'standard',
    paid: true,
    bankTransfer: null,
    ...overrides,
  };
}

function parse(xml: string) {
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  if (!root) throw new Error('no XML');
  const all = (name: string, scope: Element = root) => Array.from(scope.getElementsByTagNameNS(RAM, name));
  const one = (name: string, scope: Element = root) => all(name, scope)[0]?.textContent?.trim() ?? null;
  return { root, all, one };
}

const cents = (value: string | null) => Math.round(Number(value) * 100);

/** The factur-x.xml embedded in the PDF, read back the way an e-invoice reader finds it. */
async function embeddedXml(pdfBytes: Uint8Array): Promise<{ xml: string; relationship: string | null }> {
  const pdf = await PDFDocument.load(pdfBytes);
  const names = pdf.catalog.lookup(PDFName.of('Names'), PDFDict);
  const files = names.lookup(PDFName.of('EmbeddedFiles'), PDFDict);
  const list = files.lookup(PDFName.of('Names'), PDFArray);
  const name = list.lookup(0, PDFString, PDFHexString).decodeText();
  expect(name).toBe('factur-x.xml');
  const spec = list.lookup(1, PDFDict);
  const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'));
  if (!(stream instanceof PDFRawStream)) throw new Error('no embedded file stream');
  const relationship = spec.get(PDFName.of('AFRelationship'))?.toString() ?? null;
  // The catalogue lists it as an associated file (PDF/A-3's /AF), as Factur-X asks.
  expect(pdf.catalog.get(PDFName.of('AF'))).toBeDefined();
  return { xml: new TextDecoder().decode(decodePDFRawStream(stream).decode()), relationship };
}

describe('invoice as EN 16931 data (CII) and PDF', () => {
  it('carries the required business terms, and its totals add up', async () => {
    const doc = documentFor();
    const { root, all, one } = parse(invoiceXml(doc));
    expect(root.namespaceURI).toBe(RSM);
    expect(root.localName).toBe('CrossIndustryInvoice');
    expect(one('ID', all('GuidelineSpecifiedDocumentContextParameter')[0])).toBe(EN16931_GUIDELINE);
    const exchanged = root.getElementsByTagNameNS(RSM, 'ExchangedDocument')[0] as Element;
    expect(one('ID', exchanged)).toBe('2026-00042'); // BT-1
    expect(one('TypeCode', exchanged)).toBe('380'); // BT-3
    expect(dates(exchanged)).toEqual(['20261130']); // BT-2
    expect(one('InvoiceCurrencyCode')).toBe('EUR'); // BT-5
    const seller = all('SellerTradeParty')[0] as Element;
    const buyer = all('BuyerTradeParty')[0] as Element;
    expect(one('Name', seller)).toBe('Mailissa Demo GmbH'); // BT-27
    expect(one('CountryID', seller)).toBe('DE'); // BT-40
    expect(one('ID', all('SpecifiedTaxRegistration', seller)[0])).toBe('DE136695976'); // BT-31
    expect(one('Name', buyer)).toBe('Contoso & Söhne GmbH'); // BT-44
    expect(one('CountryID', buyer)).toBe('DE'); // BT-55
    expect(one('BuyerReference')).toBe('PO-77'); // BT-10
    const period = all('BillingSpecifiedPeriod')[0] as Element;
    expect(dates(period)).toEqual(['20261130', '20261230']); // BT-73/74

    const lines = all('IncludedSupplyChainTradeLineItem');
    expect(lines).toHaveLength(3);
    let lineSum = 0;
    for (const line of lines) {
      expect(one('LineID', line)).toBeTruthy(); // BT-126
      expect(one('Name', line)).toBeTruthy(); // BT-153
      const quantity = Number(one('BilledQuantity', line)); // BT-129
      const price = cents(one('ChargeAmount', line)); // BT-146
      const lineNet = cents(
        one('LineTotalAmount', all('SpecifiedTradeSettlementLineMonetarySummation', line)[0]),
      );
      expect(price).toBeGreaterThanOrEqual(0); // BR-27
      expect(lineNet).toBe(quantity * price); // BT-131 = BT-129 × BT-146
      lineSum += lineNet;
    }
    const totals = all('SpecifiedTradeSettlementHeaderMonetarySummation')[0] as Element;
    const headerTax = all('ApplicableTradeTax', all('ApplicableHeaderTradeSettlement')[0])[0] as Element;
    expect(cents(one('LineTotalAmount', totals))).toBe(lineSum); // BT-106
    const basis = cents(one('TaxBasisTotalAmount', totals)); // BT-109
    const tax = cents(one('TaxTotalAmount', totals)); // BT-110
    const grand = cents(one('GrandTotalAmount', totals)); // BT-112
    expect(basis).toBe(lineSum);
    expect(one('CategoryCode', headerTax)).toBe('S'); // BT-118
    expect(Number(one('RateApplicablePercent', headerTax))).toBe(19); // BT-119
    expect(cents(one('BasisAmount', headerTax))).toBe(basis); // BT-116
    expect(cents(one('CalculatedAmount', headerTax))).toBe(tax); // BT-117
    expect(tax).toBe(Math.round(basis * 0.19));
    expect(grand).toBe(basis + tax);
    expect(cents(one('DuePayableAmount', totals))).toBe(0); // BT-115: paid already
    expect(cents(one('TotalPrepaidAmount', totals))).toBe(grand); // BT-113
  });

  it('says reverse charge (AE) for an EU business and names no German VAT outside the EU (O)', () => {
    const reverse = parse(
      invoiceXml(
        documentFor({
          taxTreatment: 'reverse_charge',
          taxRatePercent: 0,
          taxCents: 0,
          grossCents: documentFor().netCents,
          buyer: { ...documentFor().buyer, country: 'AT', vatId: 'ATU12345675' },
          language: 'en',
        }),
      ),
    );
    const reverseTax = reverse.all(
      'ApplicableTradeTax',
      reverse.all('ApplicableHeaderTradeSettlement')[0],
    )[0] as Element;
    expect(reverse.one('CategoryCode', reverseTax)).toBe('AE');
    expect(reverse.one('CalculatedAmount', reverseTax)).toBe('0.00');
    expect(reverse.one('ExemptionReason', reverseTax)).toContain('Reverse charge'); // BT-120
    expect(
      reverse.one('ID', reverse.all('SpecifiedTaxRegistration', reverse.all('BuyerTradeParty')[0])[0]),
    ).toBe('ATU12345675'); // BT-48, required for AE

    const outside = parse(
      invoiceXml(
        documentFor({
          taxTreatment: 'outside_eu',
          taxRatePercent: 0,
          taxCents: 0,
          grossCents: documentFor().netCents,
          buyer: { ...documentFor().buyer, country: 'CH', vatId: 'CHE-123.456.788' },
        }),
      ),
    );
    const outsideTax = outside.all(
      'ApplicableTradeTax',
      outside.all('ApplicableHeaderTradeSettlement')[0],
    )[0] as Element;
    expect(outside.one('CategoryCode', outsideTax)).toBe('O');
    expect(outside.one('RateApplicablePercent', outsideTax)).toBeNull();
    expect(outside.one('ExemptionReason', outsideTax)).toContain('§ 3a Abs. 2 UStG');
    // BR-O-02: no VAT identifiers on a "not subject to VAT" invoice.
    expect(outside.all('SpecifiedTaxRegistration')).toHaveLength(0);
  });

  it('embeds the same XML in the PDF as factur-x.xml (relationship Alternative)', async () => {
    const doc = documentFor();
    const xml = invoiceXml(doc);
    const pdf = await invoicePdf(doc, xml);
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    const embedded = await embeddedXml(pdf);
    expect(embedded.xml).toBe(xml);
    expect(embedded.relationship).toBe('/Alternative');
  });
});

describe('the PDF as PDF/A-3 with Factur-X metadata', () => {
  const X = 'adobe:ns:meta/';
  const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
  const PDFAID = 'http://www.aiim.org/pdfa/ns/id/';
  const FX = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
  const SCHEMA = 'http://www.aiim.org/pdfa/ns/schema#';
  const PROPERTY = 'http://www.aiim.org/pdfa/ns/property#';
  const DC = 'http://purl.org/dc/elements/1.1/';

  /** The catalogue's metadata stream parsed as XML, as a PDF/A validator reads it. */
  async function xmpOf(pdfBytes: Uint8Array) {
    const pdf = await PDFDocument.load(pdfBytes, { updateMetadata: false });
    const stream = pdf.catalog.lookup(PDFName.of('Metadata'));
    if (!(stream instanceof PDFRawStream)) throw new Error('no metadata stream on the catalogue');
    expect(stream.dict.get(PDFName.of('Type'))?.toString()).toBe('/Metadata');
    expect(stream.dict.get(PDFName.of('Subtype'))?.toString()).toBe('/XML');
    // Uncompressed, so that it can be found without a PDF parser.
    expect(stream.dict.get(PDFName.of('Filter'))).toBeUndefined();
    const text = new TextDecoder('utf-8').decode(stream.getContents());
    const root = new DOMParser().parseFromString(text, 'text/xml').documentElement;
    if (!root) throw new Error('XMP does not parse');
    const values = (ns: string, name: string) =>
      Array.from(root.getElementsByTagNameNS(ns, name)).map((node) => node.textContent?.trim());
    return { pdf, root, values, text };
  }

  it('declares PDF/A-3B and the Factur-X EN 16931 profile, with the extension schema describing fx', async () => {
    const doc = documentFor({ seller: { ...documentFor().seller, name: 'Mailissa Süd GmbH' } });
    const bytes = await invoicePdf(doc, invoiceXml(doc));
    const { pdf, root, values, text } = await xmpOf(bytes);
    expect(text.startsWith('<?xpacket begin="\uFEFF"')).toBe(true);
    expect(root.namespaceURI).toBe(X);
    expect(root.getElementsByTagNameNS(RDF, 'RDF')).toHaveLength(1);
    expect(values(PDFAID, 'part')).toEqual(['3']);
    expect(values(PDFAID, 'conformance')).toEqual(['B']);
    expect(values(FX, 'DocumentType')).toEqual(['INVOICE']);
    expect(values(FX, 'DocumentFileName')).toEqual(['factur-x.xml']);
    expect(values(FX, 'Version')).toEqual(['1.0']);
    expect(values(FX, 'ConformanceLevel')).toEqual(['EN 16931']);
    // PDF/A allows the fx properties only because the extension schema declares each of them.
    expect(values(SCHEMA, 'namespaceURI')).toEqual([FX]);
    expect(values(SCHEMA, 'prefix')).toEqual(['fx']);
    expect(values(PROPERTY, 'name').sort()).toEqual([
      'ConformanceLevel',
      'DocumentFileName',
      'DocumentType',
      'Version',
    ]);
    // The XMP and the information dictionary say the same (PDF/A requires it), in UTF-8.
    expect(values(DC, 'title')).toEqual([pdf.getTitle()]);
    expect(values(DC, 'creator')).toEqual(['Mailissa Süd GmbH']);
    expect(pdf.getAuthor()).toBe('Mailissa Süd GmbH');
    expect(pdf.getProducer()).toBe('Mailissa');
    // The file identifier PDF/A requires in the trailer.
    expect(pdf.context.trailerInfo.ID).toBeInstanceOf(PDFArray);
  });

  it('lists the XML as an associated file of the document (catalogue /AF, relationship Alternative)', async () => {
    const doc = documentFor();
    const bytes = await invoicePdf(doc, invoiceXml(doc));
    const pdf = await PDFDocument.load(bytes);
    const associated = pdf.catalog.lookup(PDFName.of('AF'), PDFArray);
    expect(associated.size()).toBe(1);
    const spec = associated.lookup(0, PDFDict);
    expect(spec.lookup(PDFName.of('F'), PDFString, PDFHexString).decodeText()).toBe('factur-x.xml');
    expect(spec.get(PDFName.of('AFRelationship'))?.toString()).toBe('/Alternative');
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'));
    if (!(stream instanceof PDFRawStream)) throw new Error('no embedded file stream');
    expect(stream.dict.get(PDFName.of('Subtype'))?.toString()).toBe('/text#2Fxml');
    expect(stream.dict.lookup(PDFName.of('Params'), PDFDict).get(PDFName.of('ModDate'))).toBeDefined();
  });
});

/** Runs one of poppler's command-line readers on the PDF (given on standard input) and returns what it prints. */
function poppler(tool: 'pdftotext' | 'pdffonts', pdf: Uint8Array, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, '-'].concat(tool === 'pdftotext' ? ['-'] : []));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`${tool} exited ${code}: ${Buffer.concat(err).toString('utf8')}`)),
    );
    child.stdin.end(pdf);
  });
}

/** Every font dictionary the file holds (whatever refers to it), with its descendant for a Type 0 font. */
function fontsOf(pdf: PDFDocument) {
  const fonts: Array<{ font: PDFDict; descriptor: PDFDict | undefined; program: PDFRawStream | undefined }> =
    [];
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type'))?.toString() !== '/Font') continue;
    if (object.get(PDFName.of('Subtype'))?.toString() === '/Type0') continue; // its descendant is listed too
    const descriptor = object.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict);
    const program = ['FontFile', 'FontFile2', 'FontFile3']
      .map((key) => descriptor?.lookup(PDFName.of(key)))
      .find((value) => value instanceof PDFRawStream);
    fonts.push({ font: object, descriptor, program: program as PDFRawStream | undefined });
  }
  return fonts;
}

describe('the PDF meets PDF/A-3B', () => {
  const german = () =>
    documentFor({
      paid: false,
      bankTransfer: {
        accountHolder: 'Mailissa Demo GmbH',
        iban: 'DE89370400440532013000',
        bic: 'COBADEFFXXX',
        bankName: 'Commerzbank',
        dueDate: new Date('2026-12-14T00:00:00Z'),
      },
    });

  it('embeds every font it uses, with a ToUnicode map, and each glyph it draws has its outline', async () => {
    const bytes = await invoicePdf(german(), invoiceXml(german()));
    const pdf = await PDFDocument.load(bytes);
    const fonts = fontsOf(pdf);
    expect(fonts.length).toBe(2); // regular and bold
    for (const { font, descriptor, program } of fonts) {
      expect(descriptor, `${font.get(PDFName.of('BaseFont'))} has no font descriptor`).toBeDefined();
      expect(program, `${font.get(PDFName.of('BaseFont'))} is not embedded`).toBeDefined();
      expect(font.get(PDFName.of('W'))).toBeDefined(); // the widths, which must match the program's
    }
    for (const [, object] of pdf.context.enumerateIndirectObjects()) {
      if (!(object instanceof PDFDict) || object.get(PDFName.of('Subtype'))?.toString() !== '/Type0')
        continue;
      const toUnicode = object.lookup(PDFName.of('ToUnicode'));
      if (!(toUnicode instanceof PDFRawStream)) throw new Error('a Type 0 font without ToUnicode map');
      const descendant = object.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
      const program = descendant
        .lookup(PDFName.of('FontDescriptor'), PDFDict)
        .lookup(PDFName.of('FontFile2'));
      if (!(program instanceof PDFRawStream)) throw new Error('no TrueType program (FontFile2)');
      // The subset really holds the shapes: a broken subset draws nothing although text still extracts.
      const subset = fontkit.create(Buffer.from(decodePDFRawStream(program).decode()));
      const cmap = new TextDecoder().decode(decodePDFRawStream(toUnicode).decode());
      const mapped = Array.from(cmap.matchAll(/<([0-9A-F]{4})> <([0-9A-F]+)>/gi));
      expect(mapped.length).toBeGreaterThan(10);
      for (const [, glyphHex, unicodeHex] of mapped) {
        const text = String.fromCharCode(
          ...(unicodeHex?.match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16)),
        );
        if (text.trim() === '') continue;
        const glyph = subset.getGlyph(Number.parseInt(glyphHex ?? '0', 16));
        expect(glyph.path.toSVG(), `glyph for "${text}" is empty`).not.toBe('');
      }
    }
    // An independent reader (poppler) agrees: embedded, subset, with Unicode mapping.
    const listing = await poppler('pdffonts', bytes, []);
    const rows = listing.split('\n').filter((row) => row.includes('Arimo'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('keeps its German text extractable, umlauts, ß and € included', async () => {
    const doc = german();
    const text = await poppler('pdftotext', await invoicePdf(doc, invoiceXml(doc)), ['-layout']);
    for (const expected of [
      'Rechnung 2026-00042',
      'Contoso & Söhne GmbH',
      'Jürgen Weiß',
      'Leistungszeitraum: 30.11.2026 – 30.12.2026',
      'Gesamtbetrag',
      'mit der',
      'Rechnungsnummer 2026-00042 als Verwendungszweck.',
      'IBAN: DE89 3704 0044 0532 0130 00',
    ]) {
      expect(text).toContain(expected);
    }
    // The total as drawn (Intl puts a no-break space before €; a reader may give it as a plain space).
    const total = (doc.grossCents / 100).toFixed(2).replace('.', ',');
    expect(text).toMatch(new RegExp(`Gesamtbetrag\\s+${total}\\s€`));
  });

  it('draws a character the font lacks as "?" (never the .notdef glyph) and keeps it exact in the XML', async () => {
    const doc = documentFor({ buyer: { ...documentFor().buyer, name: 'Contoso 株式会社 GmbH' } });
    const xml = invoiceXml(doc);
    const text = await poppler('pdftotext', await invoicePdf(doc, xml), []);
    expect(text).toContain('Contoso ???? GmbH');
    expect(parse(xml).one('Name', parse(xml).all('BuyerTradeParty')[0])).toBe('Contoso 株式会社 GmbH');
  });

  it('names sRGB as its output intent, with the ICC profile embedded', async () => {
    const pdf = await PDFDocument.load(await invoicePdf(german(), invoiceXml(german())));
    const intents = pdf.catalog.lookup(PDFName.of('OutputIntents'), PDFArray);
    expect(intents.size()).toBe(1);
    const intent = intents.lookup(0, PDFDict);
    expect(intent.get(PDFName.of('S'))?.toString()).toBe('/GTS_PDFA1');
    expect(intent.lookup(PDFName.of('OutputConditionIdentifier'), PDFString).decodeText()).toBe(
      'sRGB IEC61966-2.1',
    );
    const stream = intent.lookup(PDFName.of('DestOutputProfile'));
    if (!(stream instanceof PDFRawStream)) throw new Error('no DestOutputProfile stream');
    expect(stream.dict.get(PDFName.of('N'))?.toString()).toBe('3');
    const profile = decodePDFRawStream(stream).decode();
    expect(new TextDecoder().decode(profile.subarray(36, 40))).toBe('acsp');
    expect(new DataView(profile.buffer, profile.byteOffset).getUint32(0)).toBe(profile.length);
    // Read by an ICC parser: a version 2 display profile of the RGB colour space.
    const parsed = parseIcc(Buffer.from(profile));
    expect(parsed.colorSpace).toBe('RGB');
    expect(parsed.connectionSpace).toBe('XYZ');
    expect(parsed.deviceClass).toBe('Monitor');
    expect(parsed.version).toBe('2.1');
    expect(parsed.description).toBe('sRGB IEC61966-2.1');
    expect(parsed.whitepoint?.map((value) => Math.round(value * 1000) / 1000)).toEqual([0.95, 1, 1.089]);
  });

  it('is not encrypted, has its file identifier, and its information dictionary says what its XMP says', async () => {
    const doc = german();
    const pdf = await PDFDocument.load(await invoicePdf(doc, invoiceXml(doc)), { updateMetadata: false });
    expect(pdf.isEncrypted).toBe(false);
    expect(pdf.context.trailerInfo.Encrypt).toBeUndefined();
    const id = pdf.context.trailerInfo.ID;
    if (!(id instanceof PDFArray)) throw new Error('no /ID in the trailer');
    expect(id.size()).toBe(2);
    expect(id.lookup(0, PDFHexString).asString()).toMatch(/^[0-9a-f]{32}$/);
    const stream = pdf.catalog.lookup(PDFName.of('Metadata'));
    if (!(stream instanceof PDFRawStream)) throw new Error('no metadata stream');
    const xmp = new TextDecoder().decode(stream.getContents());
    expect(pdf.getProducer()).toBe('Mailissa');
    expect(xmp).toContain('<pdf:Producer>Mailissa</pdf:Producer>');
    expect(pdf.getCreator()).toBe('Mailissa');
    expect(xmp).toContain('<xmp:CreatorTool>Mailissa</xmp:CreatorTool>');
    expect(pdf.getCreationDate()?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(xmp).toContain('<xmp:CreateDate>2026-11-30T10:00:00Z</xmp:CreateDate>');
    expect(pdf.getModificationDate()?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(xmp).toContain('<xmp:ModifyDate>2026-11-30T10:00:00Z</xmp:ModifyDate>');
    expect(pdf.getTitle()).toBe('Rechnung 2026-00042');
    expect(xmp).toContain('<rdf:li xml:lang="x-default">Rechnung 2026-00042</rdf:li>');
  });

  it('stays small: subset fonts and a compact profile', async () => {
    const bytes = await invoicePdf(german(), invoiceXml(german()));
    expect(bytes.length).toBeLessThan(40_000);
  });
});

describe('a credit note', () => {
  it('is type 381, references the invoice it corrects, says why, and its PDF carries it', async () => {
    const doc = documentFor({
      number: 'CN-2026-00003',
      kind: 'credit_note',
      correctsNumber: '2026-00042',
      reason: 'Two users too many were billed',
      language: 'en',
    });
    const xml = invoiceXml(doc);
    const { root, all, one } = parse(xml);
    const exchanged = root.getElementsByTagNameNS(RSM, 'ExchangedDocument')[0] as Element;
    expect(one('ID', exchanged)).toBe('CN-2026-00003');
    expect(one('TypeCode', exchanged)).toBe('381'); // BT-3: credit note
    expect(all('Content', exchanged).map((node) => node.textContent)).toContain(
      'Two users too many were billed',
    ); // BT-22
    const referenced = all('InvoiceReferencedDocument')[0] as Element;
    expect(one('IssuerAssignedID', referenced)).toBe('2026-00042'); // BT-25
    const totals = all('SpecifiedTradeSettlementHeaderMonetarySummation')[0] as Element;
    expect(cents(one('GrandTotalAmount', totals))).toBe(doc.grossCents);
    expect((await embeddedXml(await invoicePdf(doc, xml))).xml).toBe(xml);
  });
});

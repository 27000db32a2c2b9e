import { createHash } from 'node:crypto';
import { escapeHtml } from '@mailissa/html';
import { type PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { SRGB_PROFILE_DESCRIPTION, srgbIccProfile } from './srgb-icc-profile.js';

/** The Factur-X / ZUGFeRD 2 XMP namespace and the file name its XML must have in the PDF. */
export const FACTURX_NAMESPACE = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
export const FACTURX_FILE_NAME = 'factur-x.xml';

const x = (value: string) => escapeHtml(value);
/** XMP dates: ISO 8601 to the second, as the document information dictionary has them. */
const xmpDate = (value: Date) => `${value.toISOString().slice(0, 19)}Z`;

/** One property of the Factur-X extension schema, described as PDF/A requires for a non-standard one. */
function property(name: string, description: string): string {
  return `<rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>${name}</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>${description}</pdfaProperty:description>
            </rdf:li>`;
}

/**
 * The XMP packet of an invoice PDF: PDF/A-3 (part 3, conformance B), the document's title, author
 * and dates as in its information dictionary, the Factur-X properties (document type, the embedded
 * XML's name, version, profile EN 16931) and the extension schema that declares them, since PDF/A
 * allows only described properties outside its predefined schemas.
 */
export function pdfaXmp(input: { title: string; author: string; tool: string; created: Date }): string {
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${x(input.title)}</rdf:li></rdf:Alt></dc:title>
      <dc:creator><rdf:Seq><rdf:li>${x(input.author)}</rdf:li></rdf:Seq></dc:creator>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreatorTool>${x(input.tool)}</xmp:CreatorTool>
      <xmp:CreateDate>${xmpDate(input.created)}</xmp:CreateDate>
      <xmp:ModifyDate>${xmpDate(input.created)}</xmp:ModifyDate>
      <xmp:MetadataDate>${xmpDate(input.created)}</xmp:MetadataDate>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>${x(input.tool)}</pdf:Producer>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:fx="${FACTURX_NAMESPACE}">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>${FACTURX_FILE_NAME}</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
    </rdf:Description>
    <rdf:Description rdf:about=""
        xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
        xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
        xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>${FACTURX_NAMESPACE}</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>
            ${property('DocumentFileName', 'The name of the embedded XML document')}
            ${property('DocumentType', 'The type of the hybrid document in capital letters, e.g. INVOICE')}
            ${property('Version', 'The version of the XML schema of the embedded document')}
            ${property('ConformanceLevel', 'The profile of the embedded XML document')}
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/**
 * Puts the XMP packet on the document catalog as its metadata stream (uncompressed, as PDF/A wants
 * it readable), gives the file the identifier PDF/A requires in its trailer (derived from the
 * document's number so the same invoice always gets the same one) and the output intent that tells
 * what the page's DeviceRGB colours mean: sRGB, with its ICC profile embedded.
 */
export function declarePdfA3(
  pdf: PDFDocument,
  input: { title: string; author: string; tool: string; created: Date; number: string },
): void {
  // UTF-8 bytes: a string given to pdf-lib here would be cut to one byte per character.
  const metadata = pdf.context.stream(new TextEncoder().encode(pdfaXmp(input)), {
    Type: 'Metadata',
    Subtype: 'XML',
  });
  pdf.catalog.set(PDFName.of('Metadata'), pdf.context.register(metadata));
  const id = createHash('md5').update(`mailissa:${input.number}`).digest('hex');
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  addSrgbOutputIntent(pdf);
}

/**
 * PDF/A forbids device colours unless the catalog names an output intent of subtype GTS_PDFA1 with
 * an ICC profile of the same colour space; the invoice draws in DeviceRGB only, so sRGB it is.
 */
function addSrgbOutputIntent(pdf: PDFDocument): void {
  const profile = pdf.context.flateStream(srgbIccProfile(), { N: 3 });
  const intent = pdf.context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of(SRGB_PROFILE_DESCRIPTION),
    RegistryName: PDFString.of('http://www.color.org'),
    Info: PDFString.of(SRGB_PROFILE_DESCRIPTION),
    DestOutputProfile: pdf.context.register(profile),
  });
  pdf.catalog.set(PDFName.of('OutputIntents'), pdf.context.obj([pdf.context.register(intent)]));
}

import { escapeHtml } from '@mailissa/html';
import { EXEMPTION_TEXT, type InvoiceDocument, vatCategory } from './invoice-document.js';

/**
 * The invoice as EN 16931 data in UN/CEFACT Cross Industry Invoice syntax (CII D16B), profile
 * EN 16931 of Factur-X / ZUGFeRD 2 (guideline `urn:cen.eu:en16931:2017`): the XML embedded in the PDF
 * as `factur-x.xml`. Written by hand (docs/decisions/083); comments name the business terms (BT-…).
 */
const NS = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
};
export const EN16931_GUIDELINE = 'urn:cen.eu:en16931:2017';

const x = (value: string) => escapeHtml(value);
const amount = (cents: number) => (cents / 100).toFixed(2);
const date = (value: Date) => value.toISOString().slice(0, 10).replaceAll('-', '');
const dateTime = (value: Date) => `<udt:DateTimeString format="102">${date(value)}</udt:DateTimeString>`;

function address(lines: { postcode: string; line: string; city: string; country: string }): string {
  return `<ram:PostalTradeAddress>
        <ram:PostcodeCode>${x(lines.postcode)}</ram:PostcodeCode>
        <ram:LineOne>${x(lines.line)}</ram:LineOne>
        <ram:CityName>${x(lines.city)}</ram:CityName>
        <ram:CountryID>${x(lines.country)}</ram:CountryID>
      </ram:PostalTradeAddress>`;
}

/** The seller's address from the operator's configured lines: street first, "postcode city" next. */
export function splitSellerAddress(lines: string[], country: string) {
  const street = lines[0] ?? '';
  const place = lines[1] ?? '';
  const match = /^(\S+)\s+(.+)$/.exec(place);
  return { line: street, postcode: match?.[1] ?? '', city: match?.[2] ?? place, country };
}

export function invoiceXml(doc: InvoiceDocument): string {
  const category = vatCategory(doc.taxTreatment);
  const exemption = doc.taxTreatment === 'standard' ? null : EXEMPTION_TEXT[doc.taxTreatment];
  // BR-O-02: an invoice "not subject to VAT" carries no VAT identifiers of seller or buyer.
  const showVatIds = category !== 'O';
  const seller = splitSellerAddress(doc.seller.addressLines, doc.seller.country);
  const lines = doc.lines
    .map(
      (line, index) => `
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>${index + 1}</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>${x(line.description)}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>${amount(line.unitPriceCents)}</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">${line.quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax>
          <ram:TypeCode>VAT</ram:TypeCode>
          <ram:CategoryCode>${category}</ram:CategoryCode>
          ${category === 'O' ? '' : `<ram:RateApplicablePercent>${doc.taxRatePercent.toFixed(2)}</ram:RateApplicablePercent>`}
        </ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${amount(line.netCents)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>`,
    )
    .join('');
  const due = doc.paid ? 0 : doc.grossCents;
  const dueDate = doc.bankTransfer?.dueDate ?? new Date(doc.issuedAt.getTime() + 14 * 86_400_000);
  const transfer = doc.paid ? null : doc.bankTransfer;
  return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="${NS.rsm}" xmlns:ram="${NS.ram}" xmlns:udt="${NS.udt}" xmlns:qdt="${NS.qdt}">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>${EN16931_GUIDELINE}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>${x(doc.number)}</ram:ID>
    <ram:TypeCode>${doc.kind === 'credit_note' ? '381' : '380'}</ram:TypeCode>
    <ram:IssueDateTime>${dateTime(doc.issuedAt)}</ram:IssueDateTime>
    ${doc.reason ? `<ram:IncludedNote><ram:Content>${x(doc.reason)}</ram:Content></ram:IncludedNote>` : ''}
    ${exemption ? `<ram:IncludedNote><ram:Content>${x(exemption[doc.language])}</ram:Content></ram:IncludedNote>` : ''}
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>${lines}
    <ram:ApplicableHeaderTradeAgreement>
      ${doc.buyer.poReference ? `<ram:BuyerReference>${x(doc.buyer.poReference)}</ram:BuyerReference>` : ''}
      <ram:SellerTradeParty>
        <ram:Name>${x(doc.seller.name)}</ram:Name>
        ${address(seller)}
        <ram:URIUniversalCommunication><ram:URIID schemeID="EM">${x(doc.seller.email)}</ram:URIID></ram:URIUniversalCommunication>
        ${showVatIds && doc.seller.vatId ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${x(doc.seller.vatId)}</ram:ID></ram:SpecifiedTaxRegistration>` : ''}
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>${x(doc.buyer.name)}</ram:Name>
        ${address({ postcode: doc.buyer.postalCode, line: doc.buyer.street, city: doc.buyer.city, country: doc.buyer.country })}
        <ram:URIUniversalCommunication><ram:URIID schemeID="EM">${x(doc.buyer.email)}</ram:URIID></ram:URIUniversalCommunication>
        ${showVatIds && doc.buyer.vatId ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${x(doc.buyer.vatId)}</ram:ID></ram:SpecifiedTaxRegistration>` : ''}
      </ram:BuyerTradeParty>
      ${doc.buyer.poReference ? `<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>${x(doc.buyer.poReference)}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>` : ''}
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery>
      <ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime>${dateTime(doc.servicePeriodEnd)}</ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent>
    </ram:ApplicableHeaderTradeDelivery>
    <ram:ApplicableHeaderTradeSettlement>
      ${transfer ? `<ram:PaymentReference>${x(doc.number)}</ram:PaymentReference>` : ''}
      <ram:InvoiceCurrencyCode>${doc.currency}</ram:InvoiceCurrencyCode>
      ${
        transfer
          ? `<ram:SpecifiedTradeSettlementPaymentMeans>
        <ram:TypeCode>58</ram:TypeCode>
        <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>${x(transfer.iban)}</ram:IBANID>${transfer.accountHolder ? `<ram:AccountName>${x(transfer.accountHolder)}</ram:AccountName>` : ''}</ram:PayeePartyCreditorFinancialAccount>
        ${transfer.bic ? `<ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>${x(transfer.bic)}</ram:BICID></ram:PayeeSpecifiedCreditorFinancialInstitution>` : ''}
      </ram:SpecifiedTradeSettlementPaymentMeans>`
          : ''
      }
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>${amount(doc.taxCents)}</ram:CalculatedAmount>
        <ram:TypeCode>VAT</ram:TypeCode>
        ${exemption ? `<ram:ExemptionReason>${x(exemption[doc.language])}</ram:ExemptionReason>` : ''}
        <ram:BasisAmount>${amount(doc.netCents)}</ram:BasisAmount>
        <ram:CategoryCode>${category}</ram:CategoryCode>
        ${category === 'O' ? '' : `<ram:RateApplicablePercent>${doc.taxRatePercent.toFixed(2)}</ram:RateApplicablePercent>`}
      </ram:ApplicableTradeTax>
      <ram:BillingSpecifiedPeriod>
        <ram:StartDateTime>${dateTime(doc.servicePeriodStart)}</ram:StartDateTime>
        <ram:EndDateTime>${dateTime(doc.servicePeriodEnd)}</ram:EndDateTime>
      </ram:BillingSpecifiedPeriod>
      ${doc.paid ? '' : `<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>${dateTime(dueDate)}</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>`}
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>${amount(doc.lines.reduce((sum, line) => sum + line.netCents, 0))}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>${amount(doc.netCents)}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="${doc.currency}">${amount(doc.taxCents)}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>${amount(doc.grossCents)}</ram:GrandTotalAmount>
        <ram:TotalPrepaidAmount>${amount(doc.grossCents - due)}</ram:TotalPrepaidAmount>
        <ram:DuePayableAmount>${amount(due)}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
      ${doc.correctsNumber ? `<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>${x(doc.correctsNumber)}</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>` : ''}
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
`;
}

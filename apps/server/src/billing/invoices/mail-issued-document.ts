import type { Database } from '../../db/database.js';
import type { MailSender } from '../../mail/mail.schemas.js';
import { formatPrice } from '../plans.js';

const TEXT = {
  subject: {
    invoice: { en: 'Mailissa: invoice {number}', de: 'Mailissa: Rechnung {number}' },
    credit_note: { en: 'Mailissa: credit note {number}', de: 'Mailissa: Gutschrift {number}' },
  },
  greeting: { en: 'Hello {name},', de: 'Guten Tag {name},' },
  body: {
    invoice: {
      en: 'attached is our invoice {number} of {date} for your Mailissa subscription, {amount} in total.',
      de: 'anbei erhalten Sie unsere Rechnung {number} vom {date} für Ihr Mailissa-Abonnement über insgesamt {amount}.',
    },
    credit_note: {
      en: 'attached is our credit note {number} of {date} on invoice {corrects}, {amount} in total. The amount is refunded to your payment method.',
      de: 'anbei erhalten Sie unsere Gutschrift {number} vom {date} zu Rechnung {corrects} über insgesamt {amount}. Der Betrag wird auf Ihre Zahlungsart erstattet.',
    },
  },
  data: {
    en: 'The PDF carries the same document as EN 16931 data (ZUGFeRD / Factur-X) for your accounting software.',
    de: 'Die PDF-Datei enthält dasselbe Dokument als EN-16931-Daten (ZUGFeRD / Factur-X) für Ihre Buchhaltungssoftware.',
  },
  portal: {
    en: 'All invoices are also in your account: {url}',
    de: 'Alle Rechnungen finden Sie auch in Ihrem Konto: {url}',
  },
} as const;

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

/**
 * Mails an issued invoice or credit note to the invoice address it was issued to, with its PDF, once:
 * the row stays locked while the mail goes out and `mailed_at` is set in the same transaction, so a
 * retried or duplicated job finds it sent and sends nothing. Only a crash between the SMTP server's
 * acceptance and the commit can send it twice — then with the same Message-ID (decision 116).
 */
export async function mailIssuedDocument(
  deps: { db: Database; mail: MailSender; publicBaseUrl: string },
  invoiceId: string,
  now: Date,
): Promise<'sent' | 'already_sent' | 'not_found'> {
  return deps.db.transaction(async (tx) => {
    const found = await tx.query<{
      number: string;
      kind: 'invoice' | 'credit_note';
      language: 'en' | 'de';
      issued_at: Date;
      gross_cents: string;
      buyer: { contact?: string; name: string };
      buyer_email: string;
      pdf: Buffer;
      mailed_at: Date | null;
      corrects_number: string | null;
    }>(
      `select i.number, i.kind, i.language, i.issued_at, i.gross_cents, i.buyer, i.buyer_email, i.pdf, i.mailed_at,
              c.number as corrects_number
         from invoices i left join invoices c on c.id = i.corrects_invoice_id
        where i.id = $1
          for update of i`,
      [invoiceId],
    );
    const row = found.rows[0];
    if (!row) return 'not_found';
    if (row.mailed_at) return 'already_sent';
    const lang = row.language;
    const values = {
      number: row.number,
      corrects: row.corrects_number ?? '',
      date: new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
        dateStyle: 'long',
        timeZone: 'Europe/Berlin',
      }).format(row.issued_at),
      amount: formatPrice(Number(row.gross_cents), lang),
      name: row.buyer.contact || row.buyer.name,
      url: `${deps.publicBaseUrl}/register/account?lang=${lang}`,
    };
    await deps.mail.send({
      to: row.buyer_email,
      subject: fill(TEXT.subject[row.kind][lang], values),
      text: [
        fill(TEXT.greeting[lang], values),
        '',
        fill(TEXT.body[row.kind][lang], values),
        TEXT.data[lang],
        '',
        fill(TEXT.portal[lang], values),
      ].join('\n'),
      messageId: `<invoice-${invoiceId}@${new URL(deps.publicBaseUrl).hostname}>`,
      attachments: [
        { filename: `Mailissa-${row.number}.pdf`, content: row.pdf, contentType: 'application/pdf' },
      ],
    });
    await tx.query('update invoices set mailed_at = $2 where id = $1', [invoiceId, now]);
    return 'sent';
  });
}

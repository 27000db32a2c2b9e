import type { OutgoingMail } from '../mail/mail.schemas.js';
import type { Lang } from '../website/i18n.js';
import type { ErasureOutcome } from './erase-subject-data.js';
import type { SubjectExport } from './export-subject-data.js';
import type { RequestKind } from './rights-requests.rows.js';

const KIND: Record<RequestKind, Record<Lang, string>> = {
  access: { en: 'access to your data', de: 'Auskunft über Ihre Daten' },
  rectification: { en: 'correction of your data', de: 'Berichtigung Ihrer Daten' },
  erasure: { en: 'erasure of your data', de: 'Löschung Ihrer Daten' },
  restriction: { en: 'restriction of processing', de: 'Einschränkung der Verarbeitung' },
  objection: { en: 'objection to processing', de: 'Widerspruch gegen die Verarbeitung' },
};

const SIGNATURE: Record<Lang, string> = {
  en: '\n\nMailissa data protection\nYou may also complain to a data protection supervisory authority (Art. 77 GDPR).',
  de: '\n\nMailissa Datenschutz\nSie können sich auch bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO).',
};

function day(date: Date, lang: Lang): string {
  return date.toLocaleDateString(lang === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'UTC', dateStyle: 'long' });
}

interface ReplyText {
  subject: string;
  body: string;
}

/** A reply in the requester's language, with our signature and the right to complain under it. */
function reply(to: string, lang: Lang, texts: Record<Lang, ReplyText>): OutgoingMail {
  const { subject, body } = texts[lang];
  return { to, subject, text: `${body}${SIGNATURE[lang]}` };
}

/** A note of ours under the text, if the operator wrote one. */
function withNote(text: string, note: string | undefined): string {
  return note ? `${text}\n\n${note}` : text;
}

export function confirmLinkMail(options: {
  to: string;
  lang: Lang;
  kind: RequestKind;
  url: string;
}): OutgoingMail {
  const kind = KIND[options.kind];
  return reply(options.to, options.lang, {
    en: {
      subject: 'Please confirm your data protection request',
      body: `Someone – hopefully you – asked on our website for ${kind.en} for this e-mail address.\n\nPlease confirm the request with this link (single use, valid for 24 hours):\n${options.url}\n\nIf this was not you, ignore this mail; then nothing happens.`,
    },
    de: {
      subject: 'Bitte bestätigen Sie Ihre Datenschutzanfrage',
      body: `Jemand – hoffentlich Sie – hat auf unserer Website ${kind.de} für diese E-Mail-Adresse verlangt.\n\nBitte bestätigen Sie die Anfrage über diesen Link (einmal verwendbar, 24 Stunden gültig):\n${options.url}\n\nWenn Sie das nicht waren, ignorieren Sie diese E-Mail; dann geschieht nichts.`,
    },
  });
}

export function receivedMail(options: {
  to: string;
  lang: Lang;
  kind: RequestKind;
  dueAt: Date;
}): OutgoingMail {
  const kind = KIND[options.kind];
  return reply(options.to, options.lang, {
    en: {
      subject: 'We have received your data protection request',
      body: `Your request for ${kind.en} is confirmed. We will answer it by ${day(options.dueAt, 'en')} at the latest.`,
    },
    de: {
      subject: 'Wir haben Ihre Datenschutzanfrage erhalten',
      body: `Ihre Anfrage auf ${kind.de} ist bestätigt. Wir beantworten sie spätestens am ${day(options.dueAt, 'de')}.`,
    },
  });
}

export function extendedMail(options: {
  to: string;
  lang: Lang;
  kind: RequestKind;
  dueAt: Date;
  reason: string;
}): OutgoingMail {
  const kind = KIND[options.kind];
  return reply(options.to, options.lang, {
    en: {
      subject: 'Your data protection request: deadline extended',
      body: `We need more time for your request for ${kind.en} and extend the deadline under Art. 12(3) GDPR to ${day(options.dueAt, 'en')}.\n\nReason: ${options.reason}`,
    },
    de: {
      subject: 'Ihre Datenschutzanfrage: verlängerte Frist',
      body: `Wir brauchen für Ihre Anfrage auf ${kind.de} länger und verlängern die Frist nach Art. 12 Abs. 3 DSGVO bis zum ${day(options.dueAt, 'de')}.\n\nGrund: ${options.reason}`,
    },
  });
}

export function identityNeededMail(options: {
  to: string;
  lang: Lang;
  kind: RequestKind;
  note?: string | undefined;
}): OutgoingMail {
  const kind = KIND[options.kind];
  return reply(options.to, options.lang, {
    en: {
      subject: 'Your data protection request: a question',
      body: withNote(`To handle your request for ${kind.en} we need one more detail from you.`, options.note),
    },
    de: {
      subject: 'Ihre Datenschutzanfrage: Rückfrage',
      body: withNote(
        `Um Ihre Anfrage auf ${kind.de} zu bearbeiten, brauchen wir noch eine Angabe von Ihnen.`,
        options.note,
      ),
    },
  });
}

export function closedMail(options: {
  to: string;
  lang: Lang;
  kind: RequestKind;
  status: 'completed' | 'rejected';
  note?: string | undefined;
}): OutgoingMail {
  const kind = KIND[options.kind];
  const completed = options.status === 'completed';
  return reply(options.to, options.lang, {
    en: {
      subject: 'Your data protection request is answered',
      body: withNote(
        `${completed ? 'We have carried out your request' : 'We cannot carry out your request'} (${kind.en}).`,
        options.note,
      ),
    },
    de: {
      subject: 'Ihre Datenschutzanfrage ist beantwortet',
      body: withNote(
        `${completed ? 'Wir haben Ihre Anfrage ausgeführt' : 'Wir können Ihre Anfrage nicht ausführen'} (${kind.de}).`,
        options.note,
      ),
    },
  });
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The answer to an access request: every table's rows, readable, with what each field means. */
export function exportMail(options: { to: string; lang: Lang; data: SubjectExport }): OutgoingMail {
  const { lang, data } = options;
  const lines: string[] = [];
  for (const table of data.tables) {
    for (const row of table.rows) {
      lines.push(`\n== ${table.table} ==`);
      for (const column of table.columns) {
        lines.push(`${column.what?.[lang] ?? column.name}: ${show(row[column.name])}`);
      }
    }
  }
  for (const held of data.held) {
    lines.push(
      `\n== ${held.table} (${lang === 'de' ? 'gesperrt' : 'locked'}) ==`,
      held.reason[lang],
      JSON.stringify(held.data),
    );
  }
  const intro =
    lang === 'de'
      ? lines.length === 0
        ? 'Wir speichern keine Daten zu dieser E-Mail-Adresse.'
        : 'Hier sind alle Daten, die wir zu dieser E-Mail-Adresse speichern:'
      : lines.length === 0
        ? 'We hold no data about this e-mail address.'
        : 'Here is all the data we hold about this e-mail address:';
  return {
    to: options.to,
    subject: lang === 'de' ? 'Auskunft über Ihre Daten bei Mailissa' : 'Your data at Mailissa',
    text: `${intro}\n${lines.join('\n')}${SIGNATURE[lang]}`,
  };
}

/** The answer to an erasure: what was deleted, and what was kept, why and until when. */
export function erasureMail(options: { to: string; lang: Lang; outcomes: ErasureOutcome[] }): OutgoingMail {
  const { lang, outcomes } = options;
  const erased = outcomes.filter((outcome) => outcome.action === 'erased');
  const kept = outcomes.filter((outcome) => outcome.action !== 'erased');
  const lines = [
    lang === 'de' ? 'Wir haben Ihre Daten gelöscht:' : 'We have erased your data:',
    ...erased.map((outcome) => `- ${outcome.table}: ${outcome.rows}`),
  ];
  if (erased.length === 0) lines.push(lang === 'de' ? '- (keine)' : '- (none)');
  if (kept.length > 0) {
    lines.push('', lang === 'de' ? 'Was wir behalten müssen, und warum:' : 'What we must keep, and why:');
    for (const outcome of kept) {
      const until = outcome.holdUntil
        ? lang === 'de'
          ? ` (gesperrt bis ${day(new Date(outcome.holdUntil), lang)})`
          : ` (locked until ${day(new Date(outcome.holdUntil), lang)})`
        : '';
      lines.push(`- ${outcome.table}${until}: ${outcome.reason?.[lang] ?? ''}`);
    }
  }
  return {
    to: options.to,
    subject:
      lang === 'de' ? 'Ihre Daten bei Mailissa sind gelöscht' : 'Your data at Mailissa has been erased',
    text: `${lines.join('\n')}${SIGNATURE[lang]}`,
  };
}

import type { OutgoingMail } from '../mail/mail.schemas.js';
import type { Lang } from '../website/i18n.js';
import type { LinkPurpose } from './registration-links.js';

/** The link in the mail opens a page with one button; only that button's POST signs in. */
export function registrationLinkUrl(publicBaseUrl: string, token: string, lang: Lang): string {
  return `${publicBaseUrl}/register/link?token=${encodeURIComponent(token)}&lang=${lang}`;
}

export function composeLinkMail(options: {
  to: string;
  name: string;
  lang: Lang;
  purpose: LinkPurpose;
  url: string;
}): OutgoingMail {
  const { lang, url, name } = options;
  const confirm = options.purpose === 'confirm';
  if (lang === 'de') {
    return {
      to: options.to,
      subject: confirm ? 'Bestätigen Sie Ihre E-Mail-Adresse für Mailissa' : 'Ihr Anmeldelink für Mailissa',
      text: [
        `Guten Tag ${name},`,
        '',
        confirm
          ? 'um Ihr Mailissa-Konto anzulegen, bestätigen Sie bitte Ihre E-Mail-Adresse mit diesem Link:'
          : 'mit diesem Link melden Sie sich bei Ihrem Mailissa-Konto an:',
        '',
        url,
        '',
        'Der Link ist eine Stunde gültig und funktioniert nur einmal.',
        'Haben Sie das nicht angefordert, ignorieren Sie diese E-Mail einfach; es geschieht nichts.',
        '',
        'Mailissa',
      ].join('\n'),
    };
  }
  return {
    to: options.to,
    subject: confirm ? 'Confirm your e-mail address for Mailissa' : 'Your Mailissa sign-in link',
    text: [
      `Hello ${name},`,
      '',
      confirm
        ? 'to create your Mailissa account, please confirm your e-mail address with this link:'
        : 'use this link to sign in to your Mailissa account:',
      '',
      url,
      '',
      'The link works for one hour and only once.',
      'If you did not ask for it, simply ignore this mail; nothing will happen.',
      '',
      'Mailissa',
    ].join('\n'),
  };
}

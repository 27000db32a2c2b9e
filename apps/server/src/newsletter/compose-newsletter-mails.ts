import type { OutgoingMail } from '../mail/mail.schemas.js';
import type { Lang } from '../website/i18n.js';

/** The link in the confirmation mail; it opens a page and confirms nothing by itself. */
export function confirmationUrl(publicBaseUrl: string, token: string, lang: Lang): string {
  return `${publicBaseUrl}/newsletter/confirm?token=${encodeURIComponent(token)}&lang=${lang}`;
}

/** The unsubscribe link: its page offers a button, and a POST to it unsubscribes at once (RFC 8058). */
export function unsubscribeUrl(publicBaseUrl: string, token: string, lang: Lang): string {
  return `${publicBaseUrl}/newsletter/unsubscribe?token=${encodeURIComponent(token)}&lang=${lang}`;
}

/** The double opt-in mail: one link, which opens a page where the visitor confirms by a button. */
export function composeConfirmationMail(options: { to: string; lang: Lang; url: string }): OutgoingMail {
  const { lang, url } = options;
  if (lang === 'de') {
    return {
      to: options.to,
      subject: 'Bitte bestätigen Sie Ihre Anmeldung zum Mailissa-Newsletter',
      text: [
        'Guten Tag,',
        '',
        'jemand – hoffentlich Sie – hat diese Adresse für den Mailissa-Newsletter angemeldet.',
        'Um die Anmeldung zu bestätigen, öffnen Sie bitte diesen Link und klicken Sie dort auf „Anmeldung bestätigen“:',
        '',
        url,
        '',
        'Der Link ist 7 Tage gültig. Waren Sie das nicht, ignorieren Sie diese E-Mail einfach:',
        'Ohne Bestätigung erhalten Sie keinen Newsletter, und die Anmeldung wird nach 7 Tagen gelöscht.',
        '',
        'Mailissa',
      ].join('\n'),
    };
  }
  return {
    to: options.to,
    subject: 'Please confirm your Mailissa newsletter subscription',
    text: [
      'Hello,',
      '',
      'someone – hopefully you – signed this address up for the Mailissa newsletter.',
      'To confirm, please open this link and press "Confirm subscription" on the page:',
      '',
      url,
      '',
      'The link works for 7 days. If this was not you, simply ignore this mail:',
      'without confirmation you will get no newsletter, and the sign-up is deleted after 7 days.',
      '',
      'Mailissa',
    ].join('\n'),
  };
}

/**
 * One newsletter to one subscriber: the operator's text, a footer with the unsubscribe link, and the
 * RFC 8058 headers so mail clients can offer one-click unsubscribing.
 */
export function composeCampaignMail(options: {
  to: string;
  lang: Lang;
  subject: string;
  bodyText: string;
  unsubscribeUrl: string;
}): OutgoingMail {
  const footer =
    options.lang === 'de'
      ? [
          'Sie erhalten diesen Newsletter, weil Sie ihn bei Mailissa bestellt und bestätigt haben.',
          `Abmelden (mit einem Klick): ${options.unsubscribeUrl}`,
        ]
      : [
          'You receive this newsletter because you subscribed to it at Mailissa and confirmed your address.',
          `Unsubscribe (one click): ${options.unsubscribeUrl}`,
        ];
  return {
    to: options.to,
    subject: options.subject,
    text: [options.bodyText, '', '--', ...footer].join('\n'),
    headers: {
      'List-Unsubscribe': `<${options.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

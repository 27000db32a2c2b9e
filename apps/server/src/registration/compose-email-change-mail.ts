import type { OutgoingMail } from '../mail/mail.schemas.js';
import type { Lang } from '../website/i18n.js';

/**
 * The two mails of a sign-in address change: the link to the new address (`confirm`), and the
 * notice to the old one once it is done (`changed`), so a change the holder did not make is noticed.
 */
export function composeEmailChangeMail(
  options:
    | { kind: 'confirm'; to: string; name: string; lang: Lang; url: string }
    | { kind: 'changed'; to: string; name: string; lang: Lang; newEmail: string },
): OutgoingMail {
  const { lang, name, to } = options;
  const de = lang === 'de';
  if (options.kind === 'confirm') {
    return {
      to,
      subject: de
        ? 'Bestätigen Sie Ihre neue Anmeldeadresse für Mailissa'
        : 'Confirm your new Mailissa sign-in address',
      text: (de
        ? [
            `Guten Tag ${name},`,
            '',
            'Sie möchten sich künftig mit dieser E-Mail-Adresse bei Ihrem Mailissa-Konto anmelden. Bestätigen Sie das mit diesem Link:',
            '',
            options.url,
            '',
            'Der Link ist 24 Stunden gültig und funktioniert nur einmal. Bis dahin bleibt Ihre bisherige Adresse gültig.',
            'Haben Sie das nicht angefordert, ignorieren Sie diese E-Mail einfach; es geschieht nichts.',
          ]
        : [
            `Hello ${name},`,
            '',
            'you asked to sign in to your Mailissa account with this e-mail address from now on. Confirm it with this link:',
            '',
            options.url,
            '',
            'The link works for 24 hours and only once. Until then your previous address stays in use.',
            'If you did not ask for it, simply ignore this mail; nothing will happen.',
          ]
      )
        .concat(['', 'Mailissa'])
        .join('\n'),
    };
  }
  return {
    to,
    subject: de
      ? 'Ihre Anmeldeadresse bei Mailissa wurde geändert'
      : 'Your Mailissa sign-in address was changed',
    text: (de
      ? [
          `Guten Tag ${name},`,
          '',
          `Ihr Mailissa-Konto meldet sich ab sofort mit ${options.newEmail} an, nicht mehr mit dieser Adresse.`,
          'Waren Sie das nicht, schreiben Sie uns bitte sofort über das Kontaktformular auf unserer Website; wir helfen Ihnen, Ihr Konto zurückzuerhalten.',
        ]
      : [
          `Hello ${name},`,
          '',
          `your Mailissa account now signs in with ${options.newEmail} instead of this address.`,
          'If this was not you, please write to us at once through the contact form on our website; we will help you get your account back.',
        ]
    )
      .concat(['', 'Mailissa'])
      .join('\n'),
  };
}

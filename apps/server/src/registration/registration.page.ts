import { formatPrice, type PlanId, plans } from '../billing/plans.js';
import { formAlerts, trapField } from '../website/forms/site-form.js';
import {
  html,
  type Localised,
  type PageContent,
  type PageView,
  type SafeHtml,
  siteHref,
} from '../website/layout.js';
import { messagePage as siteMessagePage } from '../website/message-page.js';
import { COUNTRIES, type CompanyField, countryName } from './company.schemas.js';
import type { RegistrationOverview } from './get-registration-overview.js';

export const TEXT = {
  signUpTitle: { en: 'Start your free trial', de: 'Kostenlos testen' },
  signUpIntro: {
    en: 'Create your Mailissa account with your e-mail address. We send you a link to confirm it; no password is needed. Then you connect your Microsoft 365, enter your company data and start the 30-day trial — no payment details needed.',
    de: 'Legen Sie Ihr Mailissa-Konto mit Ihrer E-Mail-Adresse an. Wir senden Ihnen einen Link zur Bestätigung; ein Passwort brauchen Sie nicht. Danach verbinden Sie Ihr Microsoft 365, geben Ihre Firmendaten ein und starten die 30-tägige Testphase – ganz ohne Zahlungsdaten.',
  },
  chosenPlan: { en: 'Chosen plan: {plan}', de: 'Gewählter Plan: {plan}' },
  fullName: { en: 'Your full name', de: 'Ihr vollständiger Name' },
  email: { en: 'E-mail address', de: 'E-Mail-Adresse' },
  sendLink: { en: 'Send confirmation link', de: 'Bestätigungslink senden' },
  haveAccount: { en: 'Already registered?', de: 'Bereits registriert?' },
  signInLink: { en: 'Sign in with an e-mail link', de: 'Mit einem E-Mail-Link anmelden' },
  noAccount: { en: 'No account yet?', de: 'Noch kein Konto?' },
  signUpLink: { en: 'Start your free trial', de: 'Kostenlos testen' },
  signInTitle: { en: 'Sign in to your Mailissa account', de: 'Bei Ihrem Mailissa-Konto anmelden' },
  signInIntro: {
    en: 'Enter the e-mail address of your account. We send you a link that signs you in.',
    de: 'Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen einen Link, mit dem Sie sich anmelden.',
  },
  sendSignInLink: { en: 'Send sign-in link', de: 'Anmeldelink senden' },
  privacyNote: {
    en: 'We use your name and address for your account and contract only.',
    de: 'Ihren Namen und Ihre Adresse verwenden wir nur für Ihr Konto und den Vertrag.',
  },
  privacyLink: { en: 'Privacy policy', de: 'Datenschutzerklärung' },
  nameRequired: { en: 'Please enter your full name.', de: 'Bitte geben Sie Ihren vollständigen Namen ein.' },
  nameTooLong: {
    en: 'Your name is too long (at most 200 characters).',
    de: 'Ihr Name ist zu lang (höchstens 200 Zeichen).',
  },
  nameHidden: {
    en: 'Please write your name on one line, without control or invisible formatting characters (such as text-direction overrides).',
    de: 'Bitte schreiben Sie Ihren Namen in eine Zeile, ohne Steuerzeichen und unsichtbare Formatierungszeichen (etwa Umschaltungen der Schreibrichtung).',
  },
  errorSummary: {
    en: 'Please check the fields marked below.',
    de: 'Bitte prüfen Sie die markierten Felder.',
  },
  tooFast: {
    en: 'That was quicker than a person fills in a form. Please send it again.',
    de: 'Das ging schneller, als ein Mensch ein Formular ausfüllt. Bitte senden Sie es erneut.',
  },
  rateLimited: {
    en: 'Too many links were requested from your network. Please try again in {minutes} minutes.',
    de: 'Aus Ihrem Netz wurden zu viele Links angefordert. Bitte versuchen Sie es in {minutes} Minuten erneut.',
  },
  checkInboxTitle: { en: 'Please check your inbox', de: 'Bitte sehen Sie in Ihr Postfach' },
  checkInboxText: {
    en: 'If the address can be used, we have sent it a mail with a link. Open it within one hour to continue; it works only once. No mail? Check your spam folder or ask for a new link.',
    de: 'Sofern die Adresse verwendet werden kann, haben wir ihr eine E-Mail mit einem Link gesendet. Öffnen Sie ihn innerhalb einer Stunde, um fortzufahren; er funktioniert nur einmal. Keine E-Mail? Sehen Sie im Spam-Ordner nach oder fordern Sie einen neuen Link an.',
  },
  linkTitle: { en: 'Continue to your account', de: 'Weiter zu Ihrem Konto' },
  linkText: {
    en: 'Press the button to confirm your e-mail address and sign in. Nothing happens until you do.',
    de: 'Bestätigen Sie mit der Schaltfläche Ihre E-Mail-Adresse und melden Sie sich an. Solange Sie das nicht tun, geschieht nichts.',
  },
  linkButton: { en: 'Confirm and sign in', de: 'Bestätigen und anmelden' },
  linkInvalidTitle: { en: 'This link does not work', de: 'Dieser Link funktioniert nicht' },
  linkInvalid: {
    en: 'The link is incomplete or was not made by us. Please copy the whole link from the mail, or ask for a new one.',
    de: 'Der Link ist unvollständig oder stammt nicht von uns. Bitte kopieren Sie den vollständigen Link aus der E-Mail oder fordern Sie einen neuen an.',
  },
  linkExpired: {
    en: 'This link has expired (links work for one hour). Please ask for a new one.',
    de: 'Dieser Link ist abgelaufen (Links gelten eine Stunde). Bitte fordern Sie einen neuen an.',
  },
  linkUsed: {
    en: 'This link has been used already; each link works only once. Please ask for a new one.',
    de: 'Dieser Link wurde bereits verwendet; jeder Link funktioniert nur einmal. Bitte fordern Sie einen neuen an.',
  },
  newLink: { en: 'Ask for a new link', de: 'Neuen Link anfordern' },
  accountTitle: { en: 'Your Mailissa account', de: 'Ihr Mailissa-Konto' },
  signedInAs: { en: 'Signed in as {name} ({email}).', de: 'Angemeldet als {name} ({email}).' },
  signOut: { en: 'Sign out', de: 'Abmelden' },
  stepConnect: { en: '1. Connect your Microsoft 365', de: '1. Ihr Microsoft 365 verbinden' },
  connectIntro: {
    en: 'Sign in with a work account of your organisation. Mailissa records your Microsoft 365 tenant ID, so your colleagues can use the add-in.',
    de: 'Melden Sie sich mit einem Arbeitskonto Ihrer Organisation an. Mailissa speichert die Tenant-ID Ihres Microsoft 365, damit Ihre Kolleginnen und Kollegen das Add-in nutzen können.',
  },
  connectButton: { en: 'Connect your Microsoft 365', de: 'Ihr Microsoft 365 verbinden' },
  connectedTo: { en: 'Connected tenant', de: 'Verbundener Tenant' },
  tenantId: { en: 'Tenant ID', de: 'Tenant-ID' },
  reconnect: { en: 'Connect a different Microsoft 365', de: 'Ein anderes Microsoft 365 verbinden' },
  heldBy: {
    en: 'This Microsoft 365 tenant already has a subscription, held by {email}. Ask them, or connect a different tenant.',
    de: 'Dieser Microsoft-365-Tenant hat bereits ein Abonnement, gehalten von {email}. Wenden Sie sich an diese Person oder verbinden Sie einen anderen Tenant.',
  },
  heldByUnknown: {
    en: 'This Microsoft 365 tenant already has a subscription. Connect a different tenant, or contact us.',
    de: 'Dieser Microsoft-365-Tenant hat bereits ein Abonnement. Verbinden Sie einen anderen Tenant oder kontaktieren Sie uns.',
  },
  consent: { en: 'Admin consent', de: 'Administratorzustimmung' },
  consentGranted: { en: 'Granted', de: 'Erteilt' },
  consentPending: { en: 'Consent pending', de: 'Zustimmung ausstehend' },
  consentIntro: {
    en: 'Mailissa reads a mail only when a user transfers it, with application permissions of Microsoft Graph. A global administrator of your organisation grants them once. Until then transfers cannot run.',
    de: 'Mailissa liest eine E-Mail nur, wenn ein Benutzer sie überträgt, mit Anwendungsberechtigungen von Microsoft Graph. Ein globaler Administrator Ihrer Organisation erteilt sie einmalig. Bis dahin können keine Übertragungen laufen.',
  },
  consentButton: { en: 'Grant admin consent', de: 'Administratorzustimmung erteilen' },
  stepCompany: { en: '2. Company data', de: '2. Firmendaten' },
  companyIntro: {
    en: 'For the contract and, once you buy, for your invoices.',
    de: 'Für den Vertrag und, sobald Sie kaufen, für Ihre Rechnungen.',
  },
  company_name: { en: 'Company name', de: 'Firmenname' },
  street: { en: 'Street and number', de: 'Straße und Hausnummer' },
  postal_code: { en: 'Postal code', de: 'Postleitzahl' },
  city: { en: 'City', de: 'Ort' },
  country: { en: 'Country', de: 'Land' },
  vat_id: { en: 'VAT identification number (optional)', de: 'Umsatzsteuer-Identifikationsnummer (optional)' },
  invoice_email: { en: 'E-mail address for invoices', de: 'E-Mail-Adresse für Rechnungen' },
  po_reference: { en: 'Purchase order reference (optional)', de: 'Bestellnummer (optional)' },
  chooseCountry: { en: 'Choose a country', de: 'Land auswählen' },
  saveCompany: { en: 'Save company data', de: 'Firmendaten speichern' },
  stepTrial: { en: '3. Free trial', de: '3. Kostenlose Testphase' },
  trialIntro: {
    en: 'Choose the plan to try. The trial runs for {days} days with {seats} users per module and ends by itself; no payment details needed.',
    de: 'Wählen Sie den Plan, den Sie testen möchten. Die Testphase läuft {days} Tage mit {seats} Benutzern je Modul und endet von selbst; Zahlungsdaten sind nicht nötig.',
  },
  plan: { en: 'Plan', de: 'Plan' },
  perMonth: {
    en: '{price} per user and month after the trial, plus VAT',
    de: '{price} pro Benutzer und Monat nach der Testphase, zzgl. USt.',
  },
  startTrial: { en: 'Start free trial', de: 'Testphase starten' },
  trialNeeds: {
    en: 'To start the trial, first connect your Microsoft 365 and save your company data.',
    de: 'Um die Testphase zu starten, verbinden Sie zuerst Ihr Microsoft 365 und speichern Ihre Firmendaten.',
  },
  subscriptionTitle: { en: 'Your subscription', de: 'Ihr Abonnement' },
  state: { en: 'State', de: 'Status' },
  trialEnds: { en: 'Trial ends', de: 'Testphase endet' },
  periodEnds: { en: 'Current term ends', de: 'Laufende Laufzeit endet' },
  seats: { en: 'Seats', de: 'Plätze' },
  seatsValue: { en: 'Team: {team}, Transfer: {transfer}', de: 'Team: {team}, Transfer: {transfer}' },
  yourDataTitle: { en: 'Your data', de: 'Ihre Daten' },
  yourDataIntro: {
    en: 'Download everything Mailissa stores under your e-mail address, or delete it (Art. 15, 17 and 20 GDPR). You may also complain to a data protection supervisory authority (Art. 77 GDPR).',
    de: 'Laden Sie alles herunter, was Mailissa unter Ihrer E-Mail-Adresse speichert, oder löschen Sie es (Art. 15, 17 und 20 DSGVO). Sie können sich auch bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO).',
  },
  downloadJson: { en: 'Download as JSON', de: 'Als JSON herunterladen' },
  openReadable: { en: 'Open as a readable page', de: 'Als lesbare Seite öffnen' },
  deleteNote: {
    en: 'Deleting removes your account, company data and everything else under your address. What the law requires us to keep (invoices, the proof of a newsletter opt-in) is locked and deleted when its period ends; we tell you what. A running trial must be cancelled first.',
    de: 'Das Löschen entfernt Ihr Konto, Ihre Firmendaten und alles Weitere unter Ihrer Adresse. Was wir gesetzlich aufbewahren müssen (Rechnungen, der Nachweis einer Newsletter-Anmeldung), wird gesperrt und nach Ablauf der Frist gelöscht; wir sagen Ihnen, was. Eine laufende Testphase muss zuerst beendet werden.',
  },
  deleteConfirm: {
    en: 'Yes, delete my account and my data now. This cannot be undone.',
    de: 'Ja, mein Konto und meine Daten jetzt löschen. Das lässt sich nicht rückgängig machen.',
  },
  deleteButton: { en: 'Delete my data', de: 'Meine Daten löschen' },
  deletedTitle: { en: 'Your data has been deleted', de: 'Ihre Daten wurden gelöscht' },
  deletedText: {
    en: 'Your registration account and the data under your address are deleted.',
    de: 'Ihr Registrierungskonto und die Daten unter Ihrer Adresse sind gelöscht.',
  },
  deletedKept: { en: 'Kept: {table} — {reason}', de: 'Behalten: {table} – {reason}' },
  nameLabel: { en: 'Your name', de: 'Ihr Name' },
  nameSave: { en: 'Correct my name', de: 'Meinen Namen berichtigen' },
  emailLabel: { en: 'Your sign-in e-mail address', de: 'Ihre Anmelde-E-Mail-Adresse' },
  emailNote: {
    en: 'To change it, enter the new address: we send a link to it, and only once you open that link (within 24 hours) does your account sign in with it. We tell your current address when it is done.',
    de: 'Um sie zu ändern, geben Sie die neue Adresse ein: Wir senden einen Link an sie, und erst wenn Sie diesen Link (innerhalb von 24 Stunden) öffnen, meldet sich Ihr Konto damit an. Ihre bisherige Adresse benachrichtigen wir, sobald es geschehen ist.',
  },
  emailSave: { en: 'Change my e-mail address', de: 'Meine E-Mail-Adresse ändern' },
  emailSame: {
    en: 'This is already your sign-in address.',
    de: 'Das ist bereits Ihre Anmeldeadresse.',
  },
  emailTaken: {
    en: 'Another Mailissa account signs in with this address. Please choose a different one.',
    de: 'Mit dieser Adresse meldet sich bereits ein anderes Mailissa-Konto an. Bitte wählen Sie eine andere.',
  },
  emailChangeTitle: { en: 'Confirm your new sign-in address', de: 'Neue Anmeldeadresse bestätigen' },
  emailChangeText: {
    en: 'Your account will sign in with {email} from now on.',
    de: 'Ihr Konto meldet sich künftig mit {email} an.',
  },
  emailChangeButton: { en: 'Confirm the new address', de: 'Neue Adresse bestätigen' },
  emailChangedTitle: { en: 'Your sign-in address is changed', de: 'Ihre Anmeldeadresse ist geändert' },
  emailChangedText: {
    en: 'Your account now signs in with {email}. We have told your previous address.',
    de: 'Ihr Konto meldet sich jetzt mit {email} an. Ihre bisherige Adresse haben wir benachrichtigt.',
  },
  emailChangeInvalid: {
    en: 'This link is unknown, was used already or has expired (it works for 24 hours). Your sign-in address is unchanged; you can ask for a new link on your account page.',
    de: 'Dieser Link ist unbekannt, wurde bereits benutzt oder ist abgelaufen (er gilt 24 Stunden). Ihre Anmeldeadresse ist unverändert; einen neuen Link können Sie auf Ihrer Kontoseite anfordern.',
  },
  otherRights: {
    en: 'To restrict or object to a processing of your data (Art. 18 and 21 GDPR), use our request form; we answer within one month.',
    de: 'Um eine Verarbeitung Ihrer Daten einzuschränken oder ihr zu widersprechen (Art. 18 und 21 DSGVO), nutzen Sie unser Anfrageformular; wir antworten innerhalb eines Monats.',
  },
  otherRightsLink: { en: 'Request form', de: 'Anfrageformular' },
  organisationTitle: { en: 'Your organisation’s data', de: 'Die Daten Ihrer Organisation' },
  organisationText: {
    en: 'The subscription of {name} ended on {ended}; its users can no longer sign in to the portal. Its configuration and history (users, licences, targets, teams, audit log) are deleted on {deleteAfter}; invoices are kept for ten years, as the law requires. Until then you can download them here.',
    de: 'Das Abonnement von {name} endete am {ended}; seine Benutzer können sich nicht mehr im Portal anmelden. Seine Konfiguration und sein Verlauf (Benutzer, Lizenzen, Ziele, Teams, Audit-Protokoll) werden am {deleteAfter} gelöscht; Rechnungen bewahren wir zehn Jahre auf, wie es das Gesetz verlangt. Bis dahin können Sie sie hier herunterladen.',
  },
  organisationDownload: {
    en: 'Download the organisation’s configuration and history (JSON)',
    de: 'Konfiguration und Verlauf der Organisation herunterladen (JSON)',
  },
  organisationUnavailable: {
    en: 'Your organisation’s subscription has not ended, or its data is already deleted. While it runs, its administrators export it in the admin portal.',
    de: 'Das Abonnement Ihrer Organisation ist nicht beendet, oder ihre Daten sind bereits gelöscht. Solange es läuft, exportieren ihre Administratoren sie im Verwaltungsportal.',
  },
  cancelTrial: { en: 'Cancel trial', de: 'Testphase beenden' },
  cancelNote: {
    en: 'Cancelling ends the trial at once: your users can no longer use the add-in.',
    de: 'Das Beenden schließt die Testphase sofort: Ihre Benutzer können das Add-in nicht mehr verwenden.',
  },
  states: {
    trial: { en: 'Trial', de: 'Testphase' },
    active: { en: 'Active', de: 'Aktiv' },
    past_due: { en: 'Payment overdue', de: 'Zahlung überfällig' },
    suspended: { en: 'Suspended (payment overdue)', de: 'Gesperrt (Zahlung überfällig)' },
    cancelled: { en: 'Cancelled', de: 'Beendet' },
    expired: { en: 'Expired', de: 'Abgelaufen' },
  },
  addinReady: {
    en: 'Your users can now open the Mailissa add-in in Outlook; the first {seats} to sign in get a licence.',
    de: 'Ihre Benutzer können das Mailissa-Add-in jetzt in Outlook öffnen; die ersten {seats}, die sich anmelden, erhalten eine Lizenz.',
  },
  notices: {
    connected: { en: 'Your Microsoft 365 is connected.', de: 'Ihr Microsoft 365 ist verbunden.' },
    connect_cancelled: {
      en: 'Connecting Microsoft 365 was cancelled or did not succeed. Please try again.',
      de: 'Das Verbinden mit Microsoft 365 wurde abgebrochen oder ist nicht gelungen. Bitte versuchen Sie es erneut.',
    },
    account_has_subscription: {
      en: 'Your trial runs on the connected tenant; it cannot move to another one.',
      de: 'Ihre Testphase läuft auf dem verbundenen Tenant; sie kann nicht umziehen.',
    },
    consent_granted: {
      en: 'Admin consent was granted. Thank you!',
      de: 'Die Administratorzustimmung wurde erteilt. Vielen Dank!',
    },
    consent_declined: {
      en: 'Admin consent was not granted. A global administrator of the connected tenant has to accept the request.',
      de: 'Die Administratorzustimmung wurde nicht erteilt. Ein globaler Administrator des verbundenen Tenants muss die Anfrage annehmen.',
    },
    consent_wrong_tenant: {
      en: 'The consent was given for a different tenant than the one connected. Please sign in as an administrator of the connected tenant.',
      de: 'Die Zustimmung wurde für einen anderen als den verbundenen Tenant erteilt. Bitte melden Sie sich als Administrator des verbundenen Tenants an.',
    },
    company_saved: { en: 'Your company data is saved.', de: 'Ihre Firmendaten sind gespeichert.' },
    name_saved: { en: 'Your name is corrected.', de: 'Ihr Name ist berichtigt.' },
    email_link_sent: {
      en: 'We have sent a link to your new address. Open it within 24 hours to confirm the change; until then you sign in with your current address.',
      de: 'Wir haben einen Link an Ihre neue Adresse gesendet. Öffnen Sie ihn innerhalb von 24 Stunden, um die Änderung zu bestätigen; bis dahin melden Sie sich mit Ihrer bisherigen Adresse an.',
    },
    trial_started: { en: 'Your free trial has started.', de: 'Ihre kostenlose Testphase hat begonnen.' },
    trial_cancelled: { en: 'Your trial has been cancelled.', de: 'Ihre Testphase wurde beendet.' },
    trial_already_used: {
      en: 'This Microsoft 365 tenant has had its free trial already.',
      de: 'Dieser Microsoft-365-Tenant hatte seine kostenlose Testphase bereits.',
    },
    trial_needs: {
      en: 'To start the trial, first connect your Microsoft 365 and save your company data.',
      de: 'Um die Testphase zu starten, verbinden Sie zuerst Ihr Microsoft 365 und speichern Ihre Firmendaten.',
    },
    signed_out: { en: 'You are signed out.', de: 'Sie sind abgemeldet.' },
    invoice_sent: {
      en: 'Thank you! Your subscription runs now. We have sent the invoice to your invoice address; please transfer the amount by its due date (bank details below and on the invoice).',
      de: 'Vielen Dank! Ihr Abonnement läuft jetzt. Die Rechnung ist an Ihre Rechnungsadresse unterwegs; bitte überweisen Sie den Betrag bis zum Fälligkeitsdatum (Bankverbindung unten und auf der Rechnung).',
    },
    payment_done: {
      en: 'Thank you! Your payment is being processed; your subscription shows here as soon as the payment provider confirms it.',
      de: 'Vielen Dank! Ihre Zahlung wird verarbeitet; Ihr Abonnement erscheint hier, sobald der Zahlungsanbieter es bestätigt.',
    },
    payment_cancelled: {
      en: 'The payment was cancelled; nothing was charged.',
      de: 'Die Zahlung wurde abgebrochen; es wurde nichts belastet.',
    },
    vat_pending: {
      en: 'The EU VAT check (VIES) cannot be reached right now, so we cannot yet tell whether reverse charge applies. Your order is pending: nothing was charged. Please try again later.',
      de: 'Die EU-Umsatzsteuerprüfung (VIES) ist gerade nicht erreichbar, daher können wir noch nicht feststellen, ob das Reverse-Charge-Verfahren gilt. Ihre Bestellung ist zurückgestellt; es wurde nichts belastet. Bitte versuchen Sie es später erneut.',
    },
    vat_invalid: {
      en: 'The EU VAT check (VIES) does not know your VAT identification number. Please correct it in your company data, or remove it to be invoiced with German VAT.',
      de: 'Die EU-Umsatzsteuerprüfung (VIES) kennt Ihre Umsatzsteuer-Identifikationsnummer nicht. Bitte korrigieren Sie sie in den Firmendaten oder entfernen Sie sie, um mit deutscher Umsatzsteuer abgerechnet zu werden.',
    },
    seats_changed: {
      en: 'The number of users was changed; the difference is prorated on your next invoice.',
      de: 'Die Anzahl der Benutzer wurde geändert; die Differenz wird anteilig mit der nächsten Rechnung verrechnet.',
    },
    seats_below_assigned: {
      en: 'More licences are assigned than that. Remove licences in the admin portal first.',
      de: 'Es sind mehr Lizenzen zugewiesen. Entziehen Sie zuerst Lizenzen im Admin-Portal.',
    },
    cancel_scheduled: {
      en: 'Your subscription ends at the end of the current term.',
      de: 'Ihr Abonnement endet zum Ende der laufenden Laufzeit.',
    },
    cancel_revoked: { en: 'Your subscription continues.', de: 'Ihr Abonnement läuft weiter.' },
    plan_changed: {
      en: 'Your plan or term was switched. Within the term the difference is prorated on your next invoice; a new term starts today and is invoiced at once, with the unused time credited.',
      de: 'Ihr Plan oder Ihre Laufzeit wurde umgestellt. Innerhalb der Laufzeit wird die Differenz anteilig mit der nächsten Rechnung verrechnet; eine neue Laufzeit beginnt heute und wird sofort berechnet, die ungenutzte Zeit wird gutgeschrieben.',
    },
    plan_unchanged: {
      en: 'That is already your plan and term; nothing was changed.',
      de: 'Das sind bereits Ihr Plan und Ihre Laufzeit; es wurde nichts geändert.',
    },
    modules_still_assigned: {
      en: 'Licences of a module the new plan does not include are still assigned. Remove them in the admin portal first.',
      de: 'Es sind noch Lizenzen eines Moduls zugewiesen, das der neue Plan nicht enthält. Entziehen Sie diese zuerst im Admin-Portal.',
    },
    payment_method_updated: {
      en: 'Your payment method was saved; the next payment, and any retry of an overdue one, uses it.',
      de: 'Ihre Zahlungsart wurde gespeichert; die nächste Zahlung und jeder erneute Versuch einer überfälligen Zahlung verwenden sie.',
    },
    already_paid: {
      en: 'This Microsoft 365 tenant has a paid subscription already.',
      de: 'Dieser Microsoft-365-Tenant hat bereits ein bezahltes Abonnement.',
    },
    subscription_still_live: {
      en: 'Your account holds a running subscription or trial. End it first; then you can delete your data.',
      de: 'Ihr Konto hält ein laufendes Abonnement oder eine Testphase. Beenden Sie diese zuerst; danach können Sie Ihre Daten löschen.',
    },
    delete_unconfirmed: {
      en: 'Tick the box to confirm that your data is to be deleted.',
      de: 'Setzen Sie das Häkchen, um zu bestätigen, dass Ihre Daten gelöscht werden sollen.',
    },
    session_ended: {
      en: 'Your session has ended. Please sign in again.',
      de: 'Ihre Sitzung ist beendet. Bitte melden Sie sich erneut an.',
    },
  },
} as const;

export type Notice = keyof typeof TEXT.notices;
export function isNotice(value: unknown): value is Notice {
  return typeof value === 'string' && Object.hasOwn(TEXT.notices, value);
}

function t(text: Localised, site: PageView, values: Record<string, string> = {}): string {
  return Object.entries(values).reduce(
    (out, [key, value]) => out.replace(`{${key}}`, value),
    text[site.lang],
  );
}

function field(options: {
  id: string;
  name: string;
  label: string;
  value?: string | null;
  error?: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  maxlength: number;
}): SafeHtml {
  const errorId = `${options.id}-error`;
  return html`<div class="field${options.error ? ' field-invalid' : ''}">
      <label for="${options.id}">${options.label}</label>
      <input id="${options.id}" name="${options.name}" type="${options.type ?? 'text'}" value="${options.value ?? ''}" maxlength="${options.maxlength}"${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${options.required === false ? '' : html` required`}${options.error ? html` aria-invalid="true" aria-describedby="${errorId}"` : ''}>
      ${options.error ? html`<p class="field-error" id="${errorId}">${options.error}</p>` : ''}
    </div>`;
}

export interface SignUpFormOptions {
  formToken: string;
  plan: PlanId | null;
  email?: string;
  fullName?: string;
  errors?: { email?: string; fullName?: string };
  formError?: string;
}

/** The sign-up form: name and address; the link in the mail confirms the address. */
export function signUpPage(site: PageView, options: SignUpFormOptions): PageContent {
  const { lang } = site;
  const plan = plans.find((candidate) => candidate.id === options.plan);
  const errors = options.errors ?? {};
  const summary = errors.email || errors.fullName ? TEXT.errorSummary[lang] : undefined;
  return {
    title: TEXT.signUpTitle[lang],
    main: html`<section class="wrap page narrow" aria-labelledby="register-title">
  <h1 id="register-title">${TEXT.signUpTitle[lang]}</h1>
  <p>${TEXT.signUpIntro[lang]}</p>
  ${plan ? html`<p class="notice">${t(TEXT.chosenPlan, site, { plan: plan.name[lang] })}</p>` : ''}
  ${formAlerts(options.formError, summary)}
  <form class="form" method="post" action="/register" novalidate>
    <input type="hidden" name="lang" value="${lang}">
    <input type="hidden" name="form_token" value="${options.formToken}">
    ${plan ? html`<input type="hidden" name="plan" value="${plan.id}">` : ''}
    ${field({ id: 'register-name', name: 'full_name', label: TEXT.fullName[lang], value: options.fullName, error: errors.fullName, autocomplete: 'name', maxlength: 200 })}
    ${field({ id: 'register-email', name: 'email', label: TEXT.email[lang], value: options.email, error: errors.email, type: 'email', autocomplete: 'email', maxlength: 320 })}
    ${trapField('register', lang)}
    <p class="form-note">${TEXT.privacyNote[lang]} <a href="${siteHref(site, '/privacy')}">${TEXT.privacyLink[lang]}</a></p>
    <button type="submit" class="button button-primary">${TEXT.sendLink[lang]}</button>
  </form>
  <p>${TEXT.haveAccount[lang]} <a href="${siteHref(site, '/register/sign-in')}">${TEXT.signInLink[lang]}</a></p>
</section>`,
  };
}

export interface SignInFormOptions {
  formToken: string;
  email?: string;
  emailError?: string;
  formError?: string;
  notice?: Notice;
}

export function signInPage(site: PageView, options: SignInFormOptions): PageContent {
  const { lang } = site;
  return {
    title: TEXT.signInTitle[lang],
    main: html`<section class="wrap page narrow" aria-labelledby="sign-in-title">
  <h1 id="sign-in-title">${TEXT.signInTitle[lang]}</h1>
  ${options.notice ? html`<p class="notice" role="status">${TEXT.notices[options.notice][lang]}</p>` : ''}
  <p>${TEXT.signInIntro[lang]}</p>
  ${formAlerts(options.formError, options.emailError ? TEXT.errorSummary[lang] : undefined)}
  <form class="form" method="post" action="/register/sign-in" novalidate>
    <input type="hidden" name="lang" value="${lang}">
    <input type="hidden" name="form_token" value="${options.formToken}">
    ${field({ id: 'sign-in-email', name: 'email', label: TEXT.email[lang], value: options.email, error: options.emailError, type: 'email', autocomplete: 'email', maxlength: 320 })}
    ${trapField('sign-in', lang)}
    <button type="submit" class="button button-primary">${TEXT.sendSignInLink[lang]}</button>
  </form>
  <p>${TEXT.noAccount[lang]} <a href="${siteHref(site, '/register')}">${TEXT.signUpLink[lang]}</a></p>
</section>`,
  };
}

export interface MessageOptions {
  title: string;
  text: string;
  action?: { url: string; label: string; fields: Record<string, string> };
  offerNewLink?: boolean;
}

/** A registration message; `offerNewLink` adds the way to ask for a fresh sign-in link. */
export function messagePage(site: PageView, options: MessageOptions): PageContent {
  const { offerNewLink, ...message } = options;
  return siteMessagePage({
    ...message,
    narrow: true,
    ...(offerNewLink
      ? { followUp: { href: siteHref(site, '/register/sign-in'), label: TEXT.newLink[site.lang] } }
      : {}),
  });
}

export interface AccountPageOptions {
  csrf: string;
  notice?: Notice;
  plan: PlanId | null;
  /** The company form as sent back with errors, else the stored data. */
  companyForm?: {
    values: Partial<Record<CompanyField, string>>;
    errors: Partial<Record<CompanyField, string>>;
  };
  /** Buying, the paid subscription and its invoices (billing/billing.page.ts). */
  billing?: SafeHtml;
  /** The organisation whose subscription ended and whose data awaits deletion (its export is here). */
  endedTenancy?: { name: string; endedAt: Date; deleteAfter: Date } | null;
  /** The name form as sent back with an error. */
  nameForm?: { value: string; error: string };
  /** The e-mail change form as sent back with an error. */
  emailForm?: { value: string; error: string };
}

/** A hidden CSRF field and a button: every action of the account page is a small POST form. */
function actionForm(site: PageView, csrf: string, url: string, label: string, secondary = false): SafeHtml {
  return html`<form class="form-inline" method="post" action="${url}">
    <input type="hidden" name="csrf" value="${csrf}">
    <input type="hidden" name="lang" value="${site.lang}">
    <button type="submit" class="button${secondary ? ' secondary' : ' button-primary'}">${label}</button>
  </form>`;
}

function formatDate(date: Date, site: PageView): string {
  return new Intl.DateTimeFormat(site.lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'Europe/Berlin',
  }).format(date);
}

function connectSection(
  site: PageView,
  overview: RegistrationOverview,
  options: AccountPageOptions,
): SafeHtml {
  const { lang } = site;
  const { tenant, subscription } = overview;
  if (!tenant) {
    return html`<section aria-labelledby="step-connect"><h2 id="step-connect">${TEXT.stepConnect[lang]}</h2>
  <p>${TEXT.connectIntro[lang]}</p>
  ${actionForm(site, options.csrf, '/register/microsoft', TEXT.connectButton[lang])}
</section>`;
  }
  const held = tenant.heldByOther;
  return html`<section aria-labelledby="step-connect"><h2 id="step-connect">${TEXT.stepConnect[lang]}</h2>
  <dl class="facts">
    <dt>${TEXT.connectedTo[lang]}</dt><dd>${tenant.name}</dd>
    <dt>${TEXT.tenantId[lang]}</dt><dd><code>${tenant.microsoftTenantId}</code></dd>
    <dt>${TEXT.consent[lang]}</dt><dd data-testid="consent-state">${tenant.consentGranted ? TEXT.consentGranted[lang] : TEXT.consentPending[lang]}</dd>
  </dl>
  ${held ? html`<p class="form-error" role="alert">${held.maskedEmail ? t(TEXT.heldBy, site, { email: held.maskedEmail }) : TEXT.heldByUnknown[lang]}</p>` : ''}
  ${
    !held && !tenant.consentGranted
      ? html`<p>${TEXT.consentIntro[lang]}</p>${actionForm(site, options.csrf, '/register/consent', TEXT.consentButton[lang])}`
      : ''
  }
  ${subscription && (subscription.state === 'trial' || subscription.state === 'active') ? '' : actionForm(site, options.csrf, '/register/microsoft', TEXT.reconnect[lang], true)}
</section>`;
}

function companySection(
  site: PageView,
  overview: RegistrationOverview,
  options: AccountPageOptions,
): SafeHtml {
  const { lang } = site;
  const stored = overview.company;
  const values: Partial<Record<CompanyField, string>> =
    options.companyForm?.values ??
    (stored
      ? {
          company_name: stored.company_name,
          street: stored.street,
          postal_code: stored.postal_code,
          city: stored.city,
          country: stored.country,
          vat_id: stored.vat_id ?? '',
          invoice_email: stored.invoice_email,
          po_reference: stored.po_reference ?? '',
        }
      : { invoice_email: overview.email });
  const errors = options.companyForm?.errors ?? {};
  const f = (
    name: CompanyField,
    maxlength: number,
    extra: { type?: string; autocomplete?: string; required?: boolean } = {},
  ) =>
    field({
      id: `company-${name}`,
      name,
      label: TEXT[name][lang],
      value: values[name],
      error: errors[name],
      maxlength,
      ...extra,
    });
  const countryError = errors.country;
  return html`<section aria-labelledby="step-company"><h2 id="step-company">${TEXT.stepCompany[lang]}</h2>
  <p>${TEXT.companyIntro[lang]}</p>
  ${formAlerts(undefined, Object.keys(errors).length > 0 ? TEXT.errorSummary[lang] : undefined)}
  <form class="form" method="post" action="/register/company" novalidate>
    <input type="hidden" name="csrf" value="${options.csrf}">
    <input type="hidden" name="lang" value="${lang}">
    ${f('company_name', 200, { autocomplete: 'organization' })}
    ${f('street', 200, { autocomplete: 'address-line1' })}
    ${f('postal_code', 20, { autocomplete: 'postal-code' })}
    ${f('city', 100, { autocomplete: 'address-level2' })}
    <div class="field${countryError ? ' field-invalid' : ''}">
      <label for="company-country">${TEXT.country[lang]}</label>
      <select id="company-country" name="country" autocomplete="country" required${countryError ? html` aria-invalid="true" aria-describedby="company-country-error"` : ''}>
        <option value="">${TEXT.chooseCountry[lang]}</option>
        ${COUNTRIES.map((code) => ({ code, name: countryName(code, lang) }))
          .sort((a, b) => a.name.localeCompare(b.name, lang))
          .map(
            ({ code, name }) =>
              html`<option value="${code}"${values.country === code ? html` selected` : ''}>${name}</option>`,
          )}
      </select>
      ${countryError ? html`<p class="field-error" id="company-country-error">${countryError}</p>` : ''}
    </div>
    ${f('vat_id', 20, { required: false })}
    ${f('invoice_email', 320, { type: 'email', autocomplete: 'email' })}
    ${f('po_reference', 100, { required: false })}
    <button type="submit" class="button button-primary">${TEXT.saveCompany[lang]}</button>
  </form>
</section>`;
}

function trialSection(site: PageView, overview: RegistrationOverview, options: AccountPageOptions): SafeHtml {
  const { lang } = site;
  const { subscription, tenant } = overview;
  if (subscription) {
    const planName = plans.find((plan) => plan.id === subscription.plan)?.name[lang] ?? subscription.plan;
    return html`<section aria-labelledby="subscription-title"><h2 id="subscription-title">${TEXT.subscriptionTitle[lang]}</h2>
  <dl class="facts">
    <dt>${TEXT.plan[lang]}</dt><dd>${planName}</dd>
    <dt>${TEXT.state[lang]}</dt><dd data-testid="subscription-state">${TEXT.states[subscription.state][lang]}</dd>
    <dt>${subscription.state === 'trial' || subscription.state === 'expired' ? TEXT.trialEnds[lang] : TEXT.periodEnds[lang]}</dt><dd>${formatDate(subscription.periodEnd, site)}</dd>
    <dt>${TEXT.seats[lang]}</dt><dd>${t(TEXT.seatsValue, site, { team: String(subscription.seatsTeam), transfer: String(subscription.seatsTransfer) })}</dd>
    <dt>${TEXT.consent[lang]}</dt><dd>${tenant?.consentGranted ? TEXT.consentGranted[lang] : TEXT.consentPending[lang]}</dd>
  </dl>
  ${
    subscription.state === 'trial'
      ? html`<p>${t(TEXT.addinReady, site, { seats: String(Math.max(subscription.seatsTeam, subscription.seatsTransfer)) })}</p>
  <p class="form-note">${TEXT.cancelNote[lang]}</p>
  ${actionForm(site, options.csrf, '/register/trial/cancel', TEXT.cancelTrial[lang], true)}`
      : ''
  }
</section>`;
  }
  const first = plans[0];
  const ready = tenant !== null && tenant.heldByOther === null && overview.company !== null;
  const chosen = options.plan ?? 'suite';
  return html`<section aria-labelledby="step-trial"><h2 id="step-trial">${TEXT.stepTrial[lang]}</h2>
  <p>${t(TEXT.trialIntro, site, { days: String(first?.trial.days ?? 30), seats: String(first?.trial.seats ?? 10) })}</p>
  ${
    ready
      ? html`<form class="form" method="post" action="/register/trial">
    <input type="hidden" name="csrf" value="${options.csrf}">
    <input type="hidden" name="lang" value="${lang}">
    <fieldset>
      <legend>${TEXT.plan[lang]}</legend>
      ${plans.map(
        (plan) => html`<div class="choice">
        <input type="radio" id="trial-plan-${plan.id}" name="plan" value="${plan.id}"${plan.id === chosen ? html` checked` : ''}>
        <label for="trial-plan-${plan.id}">${plan.name[lang]} — ${t(TEXT.perMonth, site, { price: formatPrice(plan.pricePerSeatMonthCents, lang) })}</label>
      </div>`,
      )}
    </fieldset>
    <button type="submit" class="button button-primary">${TEXT.startTrial[lang]}</button>
  </form>`
      : html`<p>${TEXT.trialNeeds[lang]}</p>`
  }
</section>`;
}

/** The registration portal: the account, its tenant and consent, company data, and the trial. */
export function accountPage(
  site: PageView,
  overview: RegistrationOverview,
  options: AccountPageOptions,
): PageContent {
  const { lang } = site;
  return {
    title: TEXT.accountTitle[lang],
    main: html`<div class="wrap page narrow registration">
  <h1>${TEXT.accountTitle[lang]}</h1>
  ${options.notice ? html`<p class="notice" role="status">${TEXT.notices[options.notice][lang]}</p>` : ''}
  <p>${t(TEXT.signedInAs, site, { name: overview.fullName, email: overview.email })}</p>
  ${actionForm(site, options.csrf, '/register/sign-out', TEXT.signOut[lang], true)}
  ${connectSection(site, overview, options)}
  ${companySection(site, overview, options)}
  ${trialSection(site, overview, options)}
  ${options.billing ?? ''}
  ${options.endedTenancy ? organisationSection(site, options.endedTenancy) : ''}
  ${dataSection(site, overview, options)}
</div>`,
  };
}

/**
 * The end of the tenancy as the buyer sees it (issue 13, part 6; decision 165): when its data goes,
 * and the export of its configuration and history, which its administrators can no longer reach.
 */
function organisationSection(
  site: PageView,
  ended: NonNullable<AccountPageOptions['endedTenancy']>,
): SafeHtml {
  const { lang } = site;
  return html`<section aria-labelledby="organisation-data" data-testid="organisation-data"><h2 id="organisation-data">${TEXT.organisationTitle[lang]}</h2>
  <p>${t(TEXT.organisationText, site, { name: ended.name, ended: formatDate(ended.endedAt, site), deleteAfter: formatDate(ended.deleteAfter, site) })}</p>
  <p><a href="/register/account/organisation-data" download="mailissa-organisation.json">${TEXT.organisationDownload[lang]}</a></p>
</section>`;
}

/**
 * Self-service rights of the registration account (issue 13, part 1): export, correcting the name,
 * changing the sign-in address (by a link to the new one), erasure; the request form for what needs
 * a person (restriction, objection).
 */
function dataSection(site: PageView, overview: RegistrationOverview, options: AccountPageOptions): SafeHtml {
  const { lang } = site;
  return html`<section aria-labelledby="your-data"><h2 id="your-data">${TEXT.yourDataTitle[lang]}</h2>
  <p>${TEXT.yourDataIntro[lang]}</p>
  <ul>
    <li><a href="/register/account/data" download="mailissa-my-data.json">${TEXT.downloadJson[lang]}</a></li>
    <li><a href="/register/account/data.html?lang=${lang}">${TEXT.openReadable[lang]}</a></li>
  </ul>
  <form class="form" method="post" action="/register/account/name" novalidate>
    <input type="hidden" name="csrf" value="${options.csrf}">
    <input type="hidden" name="lang" value="${lang}">
    ${field({ id: 'account-name', name: 'full_name', label: TEXT.nameLabel[lang], value: options.nameForm?.value ?? overview.fullName, error: options.nameForm?.error, autocomplete: 'name', maxlength: 200 })}
    <button type="submit" class="button secondary" data-testid="correct-name">${TEXT.nameSave[lang]}</button>
  </form>
  <form class="form" method="post" action="/register/account/email" novalidate>
    <input type="hidden" name="csrf" value="${options.csrf}">
    <input type="hidden" name="lang" value="${lang}">
    ${field({ id: 'account-email', name: 'email', label: TEXT.emailLabel[lang], value: options.emailForm?.value ?? overview.email, error: options.emailForm?.error, type: 'email', autocomplete: 'email', maxlength: 320 })}
    <p class="form-note">${TEXT.emailNote[lang]}</p>
    <button type="submit" class="button secondary" data-testid="change-email">${TEXT.emailSave[lang]}</button>
  </form>
  <p>${TEXT.otherRights[lang]} <a href="${siteHref(site, '/privacy/request')}">${TEXT.otherRightsLink[lang]}</a></p>
  <p class="form-note">${TEXT.deleteNote[lang]}</p>
  <form class="form" method="post" action="/register/account/delete">
    <input type="hidden" name="csrf" value="${options.csrf}">
    <input type="hidden" name="lang" value="${lang}">
    <label><input type="checkbox" name="confirm" value="yes" required> ${TEXT.deleteConfirm[lang]}</label>
    <button type="submit" class="button secondary" data-testid="delete-account">${TEXT.deleteButton[lang]}</button>
  </form>
</section>`;
}

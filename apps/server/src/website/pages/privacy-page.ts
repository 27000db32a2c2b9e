import type { Config } from '../../config/config.js';
import type { Surface } from '../../privacy/data-inventory.js';
import { policyRows, retentionSettings, SURFACE_TEXT } from '../../privacy/record-of-processing.js';
import { html, type SafeHtml } from '../html.js';
import type { Lang } from '../i18n.js';
import type { PageContent } from '../layout.js';
import { type SiteState, siteHref } from '../site-state.js';

const POLICY_SURFACES: Surface[] = ['registration', 'addin_and_portal', 'website'];

const T = {
  title: { en: 'Privacy policy', de: 'Datenschutzerklärung' },
  revision: { en: 'Revision', de: 'Fassung' },
  controllerTitle: { en: 'Who is responsible', de: 'Verantwortlicher' },
  controllerText: {
    en: 'The controller for the processing described here is:',
    de: 'Verantwortlich für die hier beschriebene Verarbeitung ist:',
  },
  dpoTitle: { en: 'Data protection officer', de: 'Datenschutzbeauftragter' },
  dpoText: {
    en: 'For questions, requests or suggestions about data protection, write to our data protection officer:',
    de: 'Für Fragen, Anliegen oder Anregungen zum Datenschutz wenden Sie sich an unseren Datenschutzbeauftragten:',
  },
  shortTitle: { en: 'In short', de: 'Das Wichtigste in Kürze' },
  short: {
    en: [
      'You can read this website without telling us who you are.',
      'We never store or log your full IP address — only its network and a hash whose key is deleted after 48 hours.',
      'Our pages load nothing from other companies: no trackers, no external fonts, no embedded content.',
      'Without your consent we set only cookies that are strictly necessary. If you allow statistics, we count page views without any cookie.',
      'We do not sell or pass on your data to third parties.',
    ],
    de: [
      'Sie können diese Website lesen, ohne uns mitzuteilen, wer Sie sind.',
      'Wir speichern oder protokollieren nie Ihre vollständige IP-Adresse – nur ihr Netz und einen Hashwert, dessen Schlüssel nach 48 Stunden gelöscht wird.',
      'Unsere Seiten laden nichts von anderen Unternehmen: keine Tracker, keine externen Schriften, keine eingebetteten Inhalte.',
      'Ohne Ihre Einwilligung setzen wir nur unbedingt notwendige Cookies. Erlauben Sie Statistik, zählen wir Seitenaufrufe ganz ohne Cookie.',
      'Wir verkaufen Ihre Daten nicht und geben sie nicht an Dritte weiter.',
    ],
  },
  usageTitle: { en: 'When you visit our website', de: 'Wenn Sie unsere Website besuchen' },
  usageText1: {
    en: 'Every request to our servers is written to a usage log: date and time, the page you came from and the address you called (both without their query part), the amount of data sent, the status of our answer, and the family of your browser and operating system.',
    de: 'Jede Anfrage an unsere Server wird in einem Nutzungsprotokoll festgehalten: Datum und Uhrzeit, die Seite, von der Sie kamen, und die aufgerufene Adresse (beide ohne Parameter), die übertragene Datenmenge, der Status unserer Antwort sowie die Familie Ihres Browsers und Betriebssystems.',
  },
  usageText2: {
    en: 'Your IP address is never stored. We keep it only in two anonymised forms: shortened to its network (the first three parts of an IPv4 address, the first {ipv6_network_bits} bits of an IPv6 address), and as a keyed hash under a random key that changes every day. Each day’s key is deleted 48 hours after that day began; from then on nobody, including us, can tell which address a hash came from. Within one day the hash only tells us that requests came from the same address, never whose it is.',
    de: 'Ihre IP-Adresse wird nie gespeichert. Wir behalten sie nur in zwei anonymisierten Formen: gekürzt auf ihr Netz (die ersten drei Teile einer IPv4-Adresse, die ersten {ipv6_network_bits} Bit einer IPv6-Adresse) und als verschlüsselten Hashwert unter einem Zufallsschlüssel, der jeden Tag wechselt. Der Schlüssel eines Tages wird 48 Stunden nach Beginn dieses Tages gelöscht; danach kann niemand, auch wir nicht, mehr erkennen, zu welcher Adresse ein Hashwert gehört. Innerhalb eines Tages sagt uns der Hashwert nur, dass Anfragen von derselben Adresse kamen, nie, wessen Adresse es ist.',
  },
  usageText3: {
    en: 'We use the log to deliver our pages, to run and administer our systems and to improve the website. The individual entries are deleted after {days} days; only daily totals per page remain, which contain neither an address nor a hash.',
    de: 'Wir nutzen das Protokoll, um unsere Seiten auszuliefern, unsere Systeme zu betreiben und zu verwalten und die Website zu verbessern. Die einzelnen Einträge werden nach {days} Tagen gelöscht; es bleiben nur Tagessummen je Seite, die weder eine Adresse noch einen Hashwert enthalten.',
  },
  attacksTitle: { en: 'Defending against attacks', de: 'Abwehr von Angriffen' },
  attacksText: {
    en: 'To protect our systems we limit how many requests one address may send per minute, refuse oversized requests, and block a source for a short time when many of its requests fail within a few minutes. These decisions are made on the address while your request is being handled, in the server’s memory only; what we record about a block is the shortened address and the daily hash, never the address itself.',
    de: 'Zum Schutz unserer Systeme begrenzen wir, wie viele Anfragen eine Adresse pro Minute senden darf, weisen übergroße Anfragen ab und sperren eine Quelle kurzzeitig, wenn viele ihrer Anfragen innerhalb weniger Minuten fehlschlagen. Diese Entscheidungen fallen anhand der Adresse, während Ihre Anfrage bearbeitet wird, nur im Arbeitsspeicher des Servers; über eine Sperre halten wir die gekürzte Adresse und den Tages-Hashwert fest, nie die Adresse selbst.',
  },
  tablesTitle: { en: 'What we process, when and why', de: 'Was wir verarbeiten, wann und warum' },
  tablesText: {
    en: 'The following tables are generated from the list of every database field our software keeps, so they always match what the system actually stores.',
    de: 'Die folgenden Tabellen werden aus der Liste aller Datenbankfelder erzeugt, die unsere Software führt; sie stimmen daher stets mit dem überein, was das System tatsächlich speichert.',
  },
  colWhat: { en: 'What', de: 'Was' },
  colWhen: { en: 'When', de: 'Wann' },
  colWhy: { en: 'Why', de: 'Warum' },
  colBasis: { en: 'Legal basis', de: 'Rechtsgrundlage' },
  colRetention: { en: 'How long', de: 'Wie lange' },
  none: {
    en: 'Nothing is collected here yet.',
    de: 'Hier werden derzeit keine Daten erhoben.',
  },
  targetSystems: {
    en: 'When you use Transfer, the mail you send goes to the target system you choose; its content passes through our servers and is never stored. Access to a target system always needs its own permission, which your organisation grants there.',
    de: 'Wenn Sie Transfer nutzen, geht die Mail an das von Ihnen gewählte Zielsystem; ihr Inhalt läuft durch unsere Server und wird nie gespeichert. Der Zugriff auf ein Zielsystem braucht stets eine eigene Berechtigung, die Ihre Organisation dort erteilt.',
  },
  cookiesTitle: { en: 'Cookies', de: 'Cookies' },
  cookiesText: {
    en: 'Cookies are small text files your browser keeps for a website. Session cookies disappear when you close the browser; permanent cookies stay until they expire or you delete them. Your browser can tell you whenever a cookie is set, or refuse cookies; some functions (signing in, remembering your cookie choice) then no longer work.',
    de: 'Cookies sind kleine Textdateien, die Ihr Browser für eine Website aufbewahrt. Sitzungs-Cookies verschwinden, wenn Sie den Browser schließen; dauerhafte Cookies bleiben, bis sie ablaufen oder Sie sie löschen. Ihr Browser kann Sie über jedes gesetzte Cookie informieren oder Cookies ablehnen; manche Funktionen (Anmeldung, Speichern Ihrer Cookie-Auswahl) funktionieren dann nicht mehr.',
  },
  cookieName: { en: 'Cookie', de: 'Cookie' },
  cookieCategory: { en: 'Category', de: 'Kategorie' },
  cookiePurpose: { en: 'Purpose', de: 'Zweck' },
  cookieLifetime: { en: 'Lifetime', de: 'Lebensdauer' },
  cookies: {
    en: [
      ['mailissa_consent', 'Necessary', 'Remembers your cookie choice and its consent ID', '1 year'],
      [
        'Sign-in session',
        'Necessary',
        'Keeps you signed in to the portal, registration or operator console',
        'Until you sign out or close the browser',
      ],
      ['mailissa_lang', 'Preferences (only with consent)', 'Remembers the language you chose', '1 year'],
    ],
    de: [
      ['mailissa_consent', 'Notwendig', 'Speichert Ihre Cookie-Auswahl und deren Einwilligungs-ID', '1 Jahr'],
      [
        'Anmeldesitzung',
        'Notwendig',
        'Hält Sie im Portal, in der Registrierung oder in der Betreiberkonsole angemeldet',
        'Bis zur Abmeldung oder zum Schließen des Browsers',
      ],
      [
        'mailissa_lang',
        'Präferenzen (nur mit Einwilligung)',
        'Speichert die von Ihnen gewählte Sprache',
        '1 Jahr',
      ],
    ],
  },
  statisticsText: {
    en: 'Statistics are off unless you switch them on. If you do, we count the pages you view per day — without a cookie and without anything that identifies you. If your browser sends the Global Privacy Control signal, statistics stay off and we do not ask. Your choice is recorded as proof (consent ID, time, policy revision, categories, shortened IP address and browser family). If we change this policy in a way that matters, we ask again.',
    de: 'Statistik ist aus, solange Sie sie nicht einschalten. Tun Sie das, zählen wir die von Ihnen aufgerufenen Seiten je Tag – ohne Cookie und ohne irgendetwas, das Sie erkennbar macht. Sendet Ihr Browser das Signal „Global Privacy Control“, bleibt Statistik aus und wir fragen nicht danach. Ihre Auswahl wird als Nachweis festgehalten (Einwilligungs-ID, Zeitpunkt, Fassung der Datenschutzerklärung, Kategorien, gekürzte IP-Adresse und Browser-Familie). Ändern wir diese Erklärung wesentlich, fragen wir erneut.',
  },
  cookieSettings: {
    en: 'View or change your cookie settings',
    de: 'Cookie-Einstellungen ansehen oder ändern',
  },
  contactTitle: { en: 'Contact form', de: 'Kontaktformular' },
  contactText: {
    en: 'You can write to us with our contact form. We need a few details to answer you; we use them only to handle your enquiry and do not pass them on to third parties.',
    de: 'Sie können uns über unser Kontaktformular schreiben. Um Ihnen antworten zu können, brauchen wir einige Angaben; wir verwenden sie nur zur Bearbeitung Ihrer Anfrage und geben sie nicht an Dritte weiter.',
  },
  newsletterTitle: { en: 'Newsletter', de: 'Newsletter' },
  newsletterText: {
    en: 'For our newsletter we need only your e-mail address and a record that you confirmed it. After you sign up we send you an e-mail with a confirmation link; only when you follow that link do you receive the newsletter (double opt-in). We use the address only to send the newsletter and do not pass it on. You can withdraw at any time with the unsubscribe link in every newsletter or by e-mail to {email}.',
    de: 'Für unseren Newsletter brauchen wir nur Ihre E-Mail-Adresse und einen Nachweis, dass Sie sie bestätigt haben. Nach der Anmeldung senden wir Ihnen eine E-Mail mit einem Bestätigungslink; erst wenn Sie ihm folgen, erhalten Sie den Newsletter (Double-Opt-in). Wir verwenden die Adresse nur für den Versand des Newsletters und geben sie nicht weiter. Sie können jederzeit widerrufen, über den Abmeldelink in jedem Newsletter oder per E-Mail an {email}.',
  },
  rightsTitle: { en: 'Your rights', de: 'Ihre Rechte' },
  rights: {
    en: [
      [
        'Access (Art. 15 GDPR)',
        'You may ask whether we process data about you and, if so, receive a copy and the details the law lists.',
      ],
      [
        'Rectification and erasure (Art. 16 and 17 GDPR)',
        'You may have wrong data corrected or incomplete data completed, and have data erased, for example when we no longer need it.',
      ],
      [
        'Restriction (Art. 18 GDPR)',
        'You may ask us to restrict processing, for example while we examine an objection.',
      ],
      [
        'Portability (Art. 20 GDPR)',
        'You may receive data you gave us in a structured, machine-readable format or have it sent to someone else.',
      ],
      [
        'Objection (Art. 21 GDPR)',
        'Where we rely on our legitimate interest, you may object for reasons arising from your particular situation; we then stop unless compelling legitimate grounds override your interests or we need the data to establish, exercise or defend legal claims.',
      ],
      [
        'Complaint (Art. 77 GDPR)',
        'You may complain to a data protection supervisory authority, in particular in the Member State where you live or work or where the alleged infringement took place.',
      ],
    ],
    de: [
      [
        'Auskunft (Art. 15 DSGVO)',
        'Sie können fragen, ob wir Daten über Sie verarbeiten, und erhalten dann eine Kopie und die gesetzlich vorgesehenen Informationen.',
      ],
      [
        'Berichtigung und Löschung (Art. 16 und 17 DSGVO)',
        'Sie können falsche Daten berichtigen, unvollständige vervollständigen und Daten löschen lassen, etwa wenn wir sie nicht mehr benötigen.',
      ],
      [
        'Einschränkung (Art. 18 DSGVO)',
        'Sie können verlangen, dass wir die Verarbeitung einschränken, etwa solange wir einen Widerspruch prüfen.',
      ],
      [
        'Datenübertragbarkeit (Art. 20 DSGVO)',
        'Sie können Daten, die Sie uns gegeben haben, in einem strukturierten, maschinenlesbaren Format erhalten oder an andere übermitteln lassen.',
      ],
      [
        'Widerspruch (Art. 21 DSGVO)',
        'Stützen wir uns auf unser berechtigtes Interesse, können Sie aus Gründen Ihrer besonderen Situation widersprechen; wir hören dann auf, es sei denn, zwingende schutzwürdige Gründe überwiegen oder wir benötigen die Daten zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen.',
      ],
      [
        'Beschwerde (Art. 77 DSGVO)',
        'Sie können sich bei einer Datenschutz-Aufsichtsbehörde beschweren, insbesondere in dem Mitgliedstaat, in dem Sie leben oder arbeiten oder in dem der mutmaßliche Verstoß stattfand.',
      ],
    ],
  },
  rightsHow: {
    en: 'To use your rights, write to {email} or to our data protection officer.',
    de: 'Um Ihre Rechte auszuüben, schreiben Sie an {email} oder an unseren Datenschutzbeauftragten.',
  },
  rightsForm: {
    en: 'Or use our request form: after you confirm your e-mail address we answer at once or within one month. With a Microsoft 365 account, “Your data” in the Mailissa add-in and portal does it directly.',
    de: 'Oder nutzen Sie unser Anfrageformular: Nach Bestätigung Ihrer E-Mail-Adresse antworten wir sofort oder innerhalb eines Monats. Mit einem Microsoft-365-Konto erledigen Sie es direkt unter „Ihre Daten“ im Mailissa-Add-in und -Portal.',
  },
  rightsFormLink: { en: 'Request form', de: 'Anfrageformular' },
  securityTitle: { en: 'How we protect your data', de: 'Wie wir Ihre Daten schützen' },
  securityText: {
    en: 'We protect your data with technical and organisational measures: our staff are bound to confidentiality, we choose and monitor service providers carefully, each customer’s data is isolated from every other’s in the database, and credentials for target systems are stored encrypted.',
    de: 'Wir schützen Ihre Daten mit technischen und organisatorischen Maßnahmen: Unsere Mitarbeitenden sind zur Vertraulichkeit verpflichtet, wir wählen Dienstleister sorgfältig aus und überwachen sie, die Daten jedes Kunden sind in der Datenbank von denen aller anderen getrennt, und Zugangsdaten zu Zielsystemen werden verschlüsselt gespeichert.',
  },
  tlsText: {
    en: 'Every connection to our servers is encrypted with TLS (you see “https://” and a lock symbol in your browser), so what you send us — an enquiry, for example — cannot be read by others on the way. Browsers that have visited us once will use only encrypted connections from then on (HSTS).',
    de: 'Jede Verbindung zu unseren Servern ist mit TLS verschlüsselt (Sie sehen „https://“ und ein Schloss-Symbol im Browser), sodass das, was Sie uns senden – etwa eine Anfrage –, unterwegs nicht von anderen gelesen werden kann. Browser, die uns einmal besucht haben, verwenden danach nur noch verschlüsselte Verbindungen (HSTS).',
  },
  fontsTitle: { en: 'Fonts', de: 'Schriftarten' },
  fontsText: {
    en: 'The typeface of this website (Inter) is served from our own servers. We do not use Google Fonts or any other external font service, so loading our pages sends nothing to another company.',
    de: 'Die Schrift dieser Website (Inter) wird von unseren eigenen Servern ausgeliefert. Wir nutzen weder Google Fonts noch einen anderen externen Schriftendienst; beim Laden unserer Seiten wird daher nichts an ein anderes Unternehmen übermittelt.',
  },
} as const;

function addressBlock(name: string, lines: string[]): SafeHtml {
  return html`<address>${name}${lines.map((line) => html`<br>${line}`)}</address>`;
}

function surfaceTable(surface: Surface, lang: Lang, config: Config): SafeHtml {
  const rows = policyRows(surface, lang, retentionSettings(config));
  const caption = SURFACE_TEXT[surface][lang];
  if (rows.length === 0) {
    return html`<h3>${caption}</h3><p class="muted">${T.none[lang]}</p>`;
  }
  return html`<div class="table-wrap"><table>
  <caption>${caption}</caption>
  <thead><tr><th scope="col">${T.colWhat[lang]}</th><th scope="col">${T.colWhen[lang]}</th><th scope="col">${T.colWhy[lang]}</th><th scope="col">${T.colBasis[lang]}</th><th scope="col">${T.colRetention[lang]}</th></tr></thead>
  <tbody>${rows.map(
    (row) =>
      html`<tr><th scope="row">${row.what.length === 1 ? row.what[0] : html`<ul class="cell-list">${row.what.map((item) => html`<li>${item}</li>`)}</ul>`}</th><td>${row.when}</td><td>${row.why}</td><td>${row.legalBasis}</td><td>${row.retention}</td></tr>`,
  )}</tbody>
</table></div>`;
}

export function privacyPage(site: SiteState, config: Config): PageContent {
  const { lang } = site;
  const operator = config.operatorIdentity;
  const main = html`<div class="wrap">
  <div class="narrow">
  <h1>${T.title[lang]}</h1>
  <p class="muted">${T.revision[lang]}: ${config.privacy.policyRevision}</p>
  <h2>${T.shortTitle[lang]}</h2>
  <ul>${T.short[lang].map((line) => html`<li>${line}</li>`)}</ul>
  <h2>${T.controllerTitle[lang]}</h2>
  <p>${T.controllerText[lang]}</p>
  ${addressBlock(operator.company, operator.addressLines)}
  <p><a href="mailto:${operator.email}">${operator.email}</a>${operator.phone ? html` · ${operator.phone}` : ''}</p>
  <h2 id="dpo">${T.dpoTitle[lang]}</h2>
  <p>${T.dpoText[lang]}</p>
  ${addressBlock(operator.dpo.name, operator.dpo.addressLines)}
  <p><a href="mailto:${operator.dpo.email}">${operator.dpo.email}</a>${operator.dpo.phone ? html` · ${operator.dpo.phone}` : ''}</p>
  <h2 id="usage-data">${T.usageTitle[lang]}</h2>
  <p>${T.usageText1[lang]}</p>
  <p>${T.usageText2[lang].replaceAll('{ipv6_network_bits}', String(config.privacy.ipv6Prefix))}</p>
  <p>${T.usageText3[lang].replace('{days}', String(config.privacy.usageLogRetentionDays))}</p>
  <h3>${T.attacksTitle[lang]}</h3>
  <p>${T.attacksText[lang]}</p>
  </div>
  <h2 id="data">${T.tablesTitle[lang]}</h2>
  <p class="narrow">${T.tablesText[lang]}</p>
  ${POLICY_SURFACES.map((surface) => surfaceTable(surface, lang, config))}
  <p class="narrow">${T.targetSystems[lang]}</p>
  <div class="narrow">
  <h2 id="cookies">${T.cookiesTitle[lang]}</h2>
  <p>${T.cookiesText[lang]}</p>
  </div>
  <div class="table-wrap"><table>
    <thead><tr><th scope="col">${T.cookieName[lang]}</th><th scope="col">${T.cookieCategory[lang]}</th><th scope="col">${T.cookiePurpose[lang]}</th><th scope="col">${T.cookieLifetime[lang]}</th></tr></thead>
    <tbody>${T.cookies[lang].map(([name, category, purpose, lifetime]) => html`<tr><th scope="row">${name}</th><td>${category}</td><td>${purpose}</td><td>${lifetime}</td></tr>`)}</tbody>
  </table></div>
  <div class="narrow">
  <p>${T.statisticsText[lang]}</p>
  <p><a href="${siteHref(site, '/cookie-settings')}">${T.cookieSettings[lang]}</a></p>
  <h2 id="contact">${T.contactTitle[lang]}</h2>
  <p>${T.contactText[lang]}</p>
  <h2 id="newsletter">${T.newsletterTitle[lang]}</h2>
  <p>${T.newsletterText[lang].replace('{email}', operator.email)}</p>
  <h2 id="rights">${T.rightsTitle[lang]}</h2>
  <dl>${T.rights[lang].map(([name, text]) => html`<dt><strong>${name}</strong></dt><dd>${text}</dd>`)}</dl>
  <p>${T.rightsHow[lang].replace('{email}', operator.email)}</p>
  <p>${T.rightsForm[lang]} <a href="${siteHref(site, '/privacy/request')}">${T.rightsFormLink[lang]}</a></p>
  <h2 id="security">${T.securityTitle[lang]}</h2>
  <p>${T.securityText[lang]}</p>
  <p>${T.tlsText[lang]}</p>
  <h2 id="fonts">${T.fontsTitle[lang]}</h2>
  <p>${T.fontsText[lang]}</p>
  </div>
</div>`;
  return { title: T.title[lang], main };
}

import type { LocalisedText, PersonalColumn, TableDeclaration, TableSubjects } from './data-inventory.js';

// The website's and privacy feature's own tables, spread into data-inventory.ts. Retention texts
// may name `{usage_log_retention_days}` and `{consent_record_retention_days}`: the privacy page and
// the Art. 30 record fill in the configured values, so what we say is what the jobs do.

const notPersonal = { personal: false } as const;

const usageWhen: LocalisedText = {
  en: 'With every request to our servers (website, portal, add-in)',
  de: 'Bei jeder Anfrage an unsere Server (Website, Portal, Add-in)',
};
const usageWhy: LocalisedText = {
  en: 'To deliver our pages, run and secure our systems, defend against attacks and improve the website',
  de: 'Um unsere Seiten auszuliefern, unsere Systeme zu betreiben und abzusichern, Angriffe abzuwehren und die Website zu verbessern',
};
const usageRetention: LocalisedText = {
  en: 'Deleted after {usage_log_retention_days} days; only anonymous daily totals remain',
  de: 'Nach {usage_log_retention_days} Tagen gelöscht; nur anonyme Tagessummen bleiben',
};

function usageColumn(what: LocalisedText): PersonalColumn {
  return {
    personal: true,
    what,
    when: usageWhen,
    why: usageWhy,
    legalBasis: 'art6_1f_legitimate_interest',
    retention: usageRetention,
    surface: 'website',
  };
}

const blockColumn = (what: LocalisedText): PersonalColumn => ({
  personal: true,
  what,
  when: {
    en: 'When many requests from one source fail within a few minutes',
    de: 'Wenn viele Anfragen einer Quelle innerhalb weniger Minuten fehlschlagen',
  },
  why: {
    en: 'To block attacks on our systems temporarily and to review them',
    de: 'Um Angriffe auf unsere Systeme vorübergehend zu sperren und nachzuvollziehen',
  },
  legalBasis: 'art6_1f_legitimate_interest',
  retention: {
    en: 'Deleted {usage_log_retention_days} days after the block ends',
    de: '{usage_log_retention_days} Tage nach Ende der Sperre gelöscht',
  },
  surface: 'website',
});

const abuseColumn = (what: LocalisedText): PersonalColumn => ({
  personal: true,
  what,
  when: {
    en: 'When a request from your network fails in a way that signals an attack (a failed sign-in, an invalid access token, form spam, a scan of unknown API addresses)',
    de: 'Wenn eine Anfrage aus Ihrem Netz so fehlschlägt, dass sie auf einen Angriff hindeutet (fehlgeschlagene Anmeldung, ungültiges Zugriffstoken, Formular-Spam, Suche nach unbekannten API-Adressen)',
  },
  why: {
    en: 'To block attacks on our systems temporarily, on all our servers at once',
    de: 'Um Angriffe auf unsere Systeme vorübergehend zu sperren, auf allen unseren Servern zugleich',
  },
  legalBasis: 'art6_1f_legitimate_interest',
  retention: {
    en: 'Deleted within an hour after the counting window and any block have ended',
    de: 'Innerhalb einer Stunde nach Ende des Zählzeitraums und einer Sperre gelöscht',
  },
  surface: 'website',
});

const rateLimitColumn = (what: LocalisedText): PersonalColumn => ({
  personal: true,
  what,
  when: {
    en: 'With every request from your network to our servers',
    de: 'Bei jeder Anfrage aus Ihrem Netz an unsere Server',
  },
  why: {
    en: 'To limit how many requests one network may send per minute, on all our servers together',
    de: 'Um zu begrenzen, wie viele Anfragen ein Netz pro Minute senden darf, über alle unsere Server zusammen',
  },
  legalBasis: 'art6_1f_legitimate_interest',
  retention: {
    en: 'Deleted within an hour after the minute it counts',
    de: 'Innerhalb einer Stunde nach der gezählten Minute gelöscht',
  },
  surface: 'website',
});

const consentColumn = (what: LocalisedText): PersonalColumn => ({
  personal: true,
  what,
  when: {
    en: 'When you make or change your cookie choice',
    de: 'Wenn Sie Ihre Cookie-Auswahl treffen oder ändern',
  },
  why: {
    en: 'To prove which consent you gave or refused (Art. 7(1) GDPR)',
    de: 'Um nachweisen zu können, welche Einwilligung Sie erteilt oder verweigert haben (Art. 7 Abs. 1 DSGVO)',
  },
  legalBasis: 'art6_1c_legal_obligation',
  retention: {
    en: 'Deleted {consent_record_retention_days} days after the choice',
    de: '{consent_record_retention_days} Tage nach der Auswahl gelöscht',
  },
  surface: 'website',
});

const identicalRequests: LocalisedText = {
  en: 'Number of identical requests in the same second',
  de: 'Anzahl gleicher Anfragen in derselben Sekunde',
};
const shortenedAddress: LocalisedText = {
  en: 'Your IP address shortened to its network (IPv4: first three parts, IPv6: first {ipv6_network_bits} bits)',
  de: 'Ihre IP-Adresse, gekürzt auf ihr Netz (IPv4: die ersten drei Teile, IPv6: die ersten {ipv6_network_bits} Bit)',
};
const hashedAddress: LocalisedText = {
  en: 'A keyed hash of your IP address under a random key that changes every day and is deleted after 48 hours',
  de: 'Ein verschlüsselter Hashwert Ihrer IP-Adresse unter einem Zufallsschlüssel, der täglich wechselt und nach 48 Stunden gelöscht wird',
};

export const websiteInventory: Record<string, TableDeclaration> = {
  usage_log: {
    method: notPersonal,
    occurred_at: usageColumn({ en: 'Date and time of the request', de: 'Datum und Uhrzeit der Anfrage' }),
    requests: usageColumn(identicalRequests),
    path: usageColumn({ en: 'Address called, without its query', de: 'Aufgerufene Adresse, ohne Parameter' }),
    referrer: usageColumn({
      en: 'The page you came from (its address without query)',
      de: 'Die Seite, von der Sie kamen (Adresse ohne Parameter)',
    }),
    status: usageColumn({ en: 'Status of our answer', de: 'Status unserer Antwort' }),
    bytes_sent: usageColumn({ en: 'Amount of data sent', de: 'Übertragene Datenmenge' }),
    browser: usageColumn({ en: 'Browser family (no version)', de: 'Browser-Familie (ohne Version)' }),
    os: usageColumn({ en: 'Operating system family', de: 'Betriebssystem-Familie' }),
    // A row lists the sources of its requests (decision 187); rows the previous release wrote hold
    // their one source in ip_truncated and ip_hash. Either way the same data, described alike.
    source_networks: usageColumn(shortenedAddress),
    source_hashes: usageColumn(hashedAddress),
    source_requests: usageColumn(identicalRequests),
    ip_truncated: usageColumn(shortenedAddress),
    ip_hash: usageColumn(hashedAddress),
  },
  usage_log_salts: { day: notPersonal, salt: notPersonal, created_at: notPersonal },
  usage_log_daily: {
    day: notPersonal,
    path: notPersonal,
    status: notPersonal,
    browser: notPersonal,
    os: notPersonal,
    requests: notPersonal,
    bytes_sent: notPersonal,
    distinct_sources: notPersonal,
  },
  security_blocks: {
    id: notPersonal,
    reason: notPersonal,
    ip_truncated: blockColumn({
      en: 'Shortened IP address (network) of a temporarily blocked source',
      de: 'Gekürzte IP-Adresse (Netz) einer vorübergehend gesperrten Quelle',
    }),
    ip_hash: blockColumn({
      en: 'Daily keyed hash of the blocked IP address',
      de: 'Täglich wechselnder Hashwert der gesperrten IP-Adresse',
    }),
    failures: blockColumn({ en: 'Number of failed requests', de: 'Anzahl fehlgeschlagener Anfragen' }),
    blocked_at: blockColumn({ en: 'Start and end of the block', de: 'Beginn und Ende der Sperre' }),
    blocked_until: blockColumn({ en: 'Start and end of the block', de: 'Beginn und Ende der Sperre' }),
  },
  abuse_networks: {
    network: abuseColumn({
      en: 'Shortened IP address (network) whose failed requests are being counted or that is blocked',
      de: 'Gekürzte IP-Adresse (Netz), deren fehlgeschlagene Anfragen gezählt werden oder die gesperrt ist',
    }),
    window_started_at: abuseColumn({
      en: 'Start of the counting window and number of failures in it',
      de: 'Beginn des Zählzeitraums und Anzahl der Fehlschläge darin',
    }),
    failures: abuseColumn({
      en: 'Start of the counting window and number of failures in it',
      de: 'Beginn des Zählzeitraums und Anzahl der Fehlschläge darin',
    }),
    blocked_until: abuseColumn({ en: 'End of a block', de: 'Ende einer Sperre' }),
  },
  request_rate_limits: {
    network: rateLimitColumn({
      en: 'Shortened IP address (network) whose requests are counted',
      de: 'Gekürzte IP-Adresse (Netz), deren Anfragen gezählt werden',
    }),
    window_start: rateLimitColumn({
      en: 'The minute counted and the number of requests in it',
      de: 'Die gezählte Minute und die Zahl der Anfragen darin',
    }),
    hits: rateLimitColumn({
      en: 'The minute counted and the number of requests in it',
      de: 'Die gezählte Minute und die Zahl der Anfragen darin',
    }),
  },
  consent_records: {
    id: notPersonal,
    consent_id: consentColumn({
      en: 'Random consent ID (also kept in your consent cookie)',
      de: 'Zufällige Einwilligungs-ID (auch in Ihrem Einwilligungs-Cookie)',
    }),
    recorded_at: consentColumn({ en: 'Time of your choice', de: 'Zeitpunkt Ihrer Auswahl' }),
    policy_revision: consentColumn({
      en: 'Revision of the privacy policy you chose under',
      de: 'Fassung der Datenschutzerklärung, zu der Sie gewählt haben',
    }),
    preferences: consentColumn({
      en: 'The categories you allowed',
      de: 'Die Kategorien, die Sie erlaubt haben',
    }),
    statistics: consentColumn({
      en: 'The categories you allowed',
      de: 'Die Kategorien, die Sie erlaubt haben',
    }),
    gpc: consentColumn({
      en: 'Whether your browser sent the Global Privacy Control signal',
      de: 'Ob Ihr Browser das Signal „Global Privacy Control“ gesendet hat',
    }),
    ip_truncated: consentColumn({
      en: 'Your IP address shortened to its network',
      de: 'Ihre IP-Adresse, gekürzt auf ihr Netz',
    }),
    browser: consentColumn({ en: 'Browser family (no version)', de: 'Browser-Familie (ohne Version)' }),
  },
  site_page_views: { day: notPersonal, path: notPersonal, views: notPersonal },
};

const anonymousLog: LocalisedText = {
  en: 'Shortened addresses and daily-changing hashes: the entries cannot be tied to a person, and they are deleted after the retention period',
  de: 'Gekürzte Adressen und täglich wechselnde Hashwerte: Die Einträge lassen sich keiner Person zuordnen und werden nach der Aufbewahrungsfrist gelöscht',
};

/** How these tables tie to a person (data-subject rights, rights/). */
export const websiteSubjects: Record<string, TableSubjects> = {
  usage_log: { notAttributable: anonymousLog },
  usage_log_salts: {},
  usage_log_daily: {},
  security_blocks: { notAttributable: anonymousLog },
  abuse_networks: { notAttributable: anonymousLog },
  request_rate_limits: { notAttributable: anonymousLog },
  // The proof of a cookie choice is keyed by the random id in the visitor's consent cookie only.
  consent_records: {
    keys: { consentId: 'consent_id' },
    legalHold: {
      reason: {
        en: 'Proof of the cookie choice you made (Art. 7(1) GDPR); it is deleted at the end of its retention period',
        de: 'Nachweis Ihrer Cookie-Auswahl (Art. 7 Abs. 1 DSGVO); er wird am Ende seiner Aufbewahrungsfrist gelöscht',
      },
      mode: 'keep',
      holdDays: 3 * 365,
    },
  },
  site_page_views: {},
};

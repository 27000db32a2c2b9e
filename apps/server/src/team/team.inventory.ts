import type {
  LocalisedText,
  PersonalColumn,
  TableDeclaration,
  TableSubjects,
} from '../privacy/data-inventory.js';

// Declared beside the feature and spread into privacy/data-inventory.ts (issue 9, decision 052).

const whenUsingTeam: LocalisedText = {
  en: 'When you and your colleagues work on a mail with Mailissa Team in Outlook',
  de: 'Wenn Sie und Ihre Kollegen mit Mailissa Team in Outlook an einer E-Mail arbeiten',
};
const whyTeam: LocalisedText = {
  en: 'So the members of a team share categories, assignee, status and notes of the same mail',
  de: 'Damit die Mitglieder eines Teams Kategorien, Zuständigkeit, Status und Notizen derselben E-Mail teilen',
};
// TEAM_DONE_RETENTION_DAYS (180 unless the operator configures another); purge-team-mails.ts.
const teamMailRetention: LocalisedText = {
  en: 'Deleted 180 days after the mail is marked done (or the period the operator has set), or 30 days after the last change when no category, assignee or note refers to the mail; at once when the team is deleted',
  de: 'Gelöscht 180 Tage nachdem die E-Mail als erledigt markiert wurde (oder nach der vom Betreiber eingestellten Frist) bzw. 30 Tage nach der letzten Änderung, wenn keine Kategorie, Zuständigkeit oder Notiz mehr auf die E-Mail verweist; sofort, wenn das Team gelöscht wird',
};

function teamColumn(what: LocalisedText, retention: LocalisedText = teamMailRetention): PersonalColumn {
  return {
    personal: true,
    what,
    when: whenUsingTeam,
    why: whyTeam,
    legalBasis: 'art6_1b_contract',
    retention,
    surface: 'addin_and_portal',
  };
}

const membership: PersonalColumn = {
  personal: true,
  what: {
    en: 'Microsoft 365 ID and name of a user or group that belongs to a team',
    de: 'Microsoft-365-ID und Name eines Benutzers oder einer Gruppe, die zu einem Team gehören',
  },
  when: {
    en: 'When an administrator adds you or one of your groups to a team',
    de: 'Wenn ein Administrator Sie oder eine Ihrer Gruppen einem Team hinzufügt',
  },
  why: {
    en: 'So only the team members see and change the team state of mails',
    de: 'Damit nur die Teammitglieder den Team-Zustand von E-Mails sehen und ändern',
  },
  legalBasis: 'art6_1b_contract',
  retention: {
    en: 'Until the administrator removes you or the group from the team, or deletes the team',
    de: 'Bis der Administrator Sie oder die Gruppe aus dem Team entfernt oder das Team löscht',
  },
  surface: 'addin_and_portal',
};

const presenceRetention: LocalisedText = {
  en: 'Counts for 30 seconds after the last heartbeat; deleted within a day',
  de: 'Gilt 30 Sekunden nach dem letzten Lebenszeichen; innerhalb eines Tages gelöscht',
};

export const teamInventory: Record<string, TableDeclaration> = {
  teams: {
    id: { personal: false },
    tenant_id: { personal: false },
    name: { personal: false },
    // A team's shared mailbox is a functional address of the organisation, not a person's.
    shared_mailbox: { personal: false },
    created_at: { personal: false },
    updated_at: { personal: false },
  },
  team_members: {
    tenant_id: { personal: false },
    team_id: { personal: false },
    principal_type: { personal: false },
    principal_id: membership,
    display_name: membership,
  },
  team_categories: {
    tenant_id: { personal: false },
    team_id: { personal: false },
    category_id: { personal: false },
  },
  team_mails: {
    id: { personal: false },
    tenant_id: { personal: false },
    team_id: { personal: false },
    internet_message_id: teamColumn({
      en: "The mail's Internet message ID (never its content)",
      de: 'Die Internet-Message-ID der E-Mail (nie ihr Inhalt)',
    }),
    fingerprint: { personal: false },
    subject: teamColumn({
      en: 'Subject of a mail the team works on (never the mail body)',
      de: 'Betreff einer E-Mail, an der das Team arbeitet (nie der Inhalt der E-Mail)',
    }),
    sender_name: teamColumn({ en: "The mail sender's name", de: 'Name des Absenders der E-Mail' }),
    sender_address: teamColumn({
      en: "The mail sender's e-mail address",
      de: 'E-Mail-Adresse des Absenders der E-Mail',
    }),
    received_at: teamColumn({ en: 'When the mail was received', de: 'Wann die E-Mail empfangen wurde' }),
    first_seen_at: { personal: false },
    status: { personal: false },
    assignee_user_id: teamColumn({
      en: 'Who the mail is assigned to (user ID)',
      de: 'Wem die E-Mail zugewiesen ist (Benutzer-ID)',
    }),
    done_at: { personal: false },
    updated_at: { personal: false },
  },
  team_mail_categories: {
    tenant_id: { personal: false },
    team_mail_id: { personal: false },
    category_id: { personal: false },
    added_at: { personal: false },
  },
  team_notes: {
    id: { personal: false },
    tenant_id: { personal: false },
    team_mail_id: { personal: false },
    author_user_id: teamColumn({
      en: "A note's author (user ID)",
      de: 'Verfasser einer Notiz (Benutzer-ID)',
    }),
    body: teamColumn({
      en: 'The text of internal notes on a mail',
      de: 'Der Text interner Notizen zu einer E-Mail',
    }),
    version: { personal: false },
    created_at: { personal: false },
    updated_at: { personal: false },
  },
  team_mentions: {
    tenant_id: { personal: false },
    note_id: { personal: false },
    user_id: teamColumn({
      en: 'Who a note mentions (user ID), to notify them by mail',
      de: 'Wen eine Notiz erwähnt (Benutzer-ID), um ihn per E-Mail zu benachrichtigen',
    }),
    created_at: { personal: false },
    seen_at: teamColumn({
      en: 'When you opened the mail a note mentions you in',
      de: 'Wann Sie die E-Mail geöffnet haben, in deren Notiz Sie erwähnt wurden',
    }),
  },
  team_activity: {
    id: { personal: false },
    tenant_id: { personal: false },
    team_mail_id: { personal: false },
    actor_user_id: teamColumn({
      en: 'Who changed the team state of a mail, and when (history)',
      de: 'Wer den Team-Zustand einer E-Mail wann geändert hat (Verlauf)',
    }),
    action: { personal: false },
    value: { personal: false },
    at: { personal: false },
  },
  team_mail_copies: {
    tenant_id: { personal: false },
    team_mail_id: { personal: false },
    mailbox_object_id: teamColumn({
      en: 'Microsoft 365 ID of a mailbox holding a copy of a team mail, with the team categories last seen on that copy',
      de: 'Microsoft-365-ID eines Postfachs mit einer Kopie einer Team-E-Mail, mit den zuletzt auf dieser Kopie gesehenen Team-Kategorien',
    }),
    category_ids: { personal: false },
    updated_at: { personal: false },
  },
  team_presence: {
    tenant_id: { personal: false },
    team_mail_id: { personal: false },
    user_id: teamColumn(
      { en: 'That you have a mail open (user ID)', de: 'Dass Sie eine E-Mail geöffnet haben (Benutzer-ID)' },
      presenceRetention,
    ),
    seen_at: teamColumn(
      {
        en: 'Time of your last heartbeat on that mail',
        de: 'Zeitpunkt Ihres letzten Lebenszeichens zu dieser E-Mail',
      },
      presenceRetention,
    ),
  },
};

const teamWork: LocalisedText = {
  en: "The team's shared work on a mail belongs to your organisation; when your account is erased the assignment to you is cleared",
  de: 'Die gemeinsame Arbeit des Teams an einer E-Mail gehört Ihrer Organisation; wird Ihr Konto gelöscht, entfällt die Zuweisung an Sie',
};

/** How Team's rows tie to people: the tenant's configuration, and each member's own traces. */
export const teamSubjects: Record<string, TableSubjects> = {
  teams: { keys: { tenantId: 'tenant_id' } },
  team_members: { keys: { tenantId: 'tenant_id' } },
  team_categories: { keys: { tenantId: 'tenant_id' } },
  team_mails: {
    keys: { tenantId: 'tenant_id', userId: 'assignee_user_id', email: 'sender_address' },
    erasedOnlyWithinTenant: true,
    exemptFromErasure: teamWork,
  },
  team_mail_categories: { keys: { tenantId: 'tenant_id' } },
  team_notes: { keys: { tenantId: 'tenant_id', userId: 'author_user_id' }, erasedOnlyWithinTenant: true },
  team_mentions: { keys: { tenantId: 'tenant_id', userId: 'user_id' }, erasedOnlyWithinTenant: true },
  team_activity: { keys: { tenantId: 'tenant_id', userId: 'actor_user_id' }, erasedOnlyWithinTenant: true },
  team_presence: { keys: { tenantId: 'tenant_id', userId: 'user_id' }, erasedOnlyWithinTenant: true },
  // A copy may be in a shared mailbox several people use: the rows belong to the tenant.
  team_mail_copies: { keys: { tenantId: 'tenant_id' } },
};

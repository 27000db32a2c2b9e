import type { ColumnDeclaration, TableDeclaration, TableSubjects } from '../privacy/data-inventory.js';

const transferWhen = {
  en: 'When you transfer a mail with the Outlook add-in',
  de: 'Wenn Sie eine E-Mail mit dem Outlook-Add-in übertragen',
};
const transferRetention = {
  en: '90 days after the transfer, then deleted automatically',
  de: '90 Tage nach der Übertragung, danach automatisch gelöscht',
};

/** Keyed hashes that rank targets for a mail (decision 073). */
const suggestionKey: ColumnDeclaration = {
  personal: true,
  what: {
    en: "Keyed hashes of the mail's conversation, sender and sender's domain (not the values themselves)",
    de: 'Verschlüsselte Prüfwerte von Konversation, Absender und Absenderdomäne der E-Mail (nicht diese selbst)',
  },
  when: transferWhen,
  why: {
    en: 'To suggest the target where mails of the same conversation or sender went before',
    de: 'Um das Ziel vorzuschlagen, wohin E-Mails derselben Konversation oder desselben Absenders gingen',
  },
  legalBasis: 'art6_1f_legitimate_interest',
  retention: transferRetention,
  surface: 'addin_and_portal',
};

/** The columns issue 10 adds to `transfers`, spread into its declaration in privacy/data-inventory.ts. */
export const transferOptionColumns: TableDeclaration = {
  options: {
    personal: true,
    what: {
      en: 'What you chose before sending: attachments, file name, subfolder',
      de: 'Was Sie vor dem Senden gewählt haben: Anhänge, Dateiname, Unterordner',
    },
    when: transferWhen,
    why: {
      en: 'To transfer exactly what you chose, also when the transfer is retried',
      de: 'Um genau das Gewählte zu übertragen, auch bei einem erneuten Versuch',
    },
    legalBasis: 'art6_1b_contract',
    retention: transferRetention,
    surface: 'addin_and_portal',
  },
  mail_identity: {
    personal: true,
    what: {
      en: "A hash of the mail's Message-ID, sender, sent time and subject",
      de: 'Ein Prüfwert aus Message-ID, Absender, Sendezeit und Betreff der E-Mail',
    },
    when: transferWhen,
    why: {
      en: 'To ask before the same mail is filed in the same place again',
      de: 'Um nachzufragen, bevor dieselbe E-Mail erneut am selben Ort abgelegt wird',
    },
    legalBasis: 'art6_1b_contract',
    retention: transferRetention,
    surface: 'addin_and_portal',
  },
  conversation_key: suggestionKey,
  sender_key: suggestionKey,
  sender_domain_key: suggestionKey,
  bytes_total: { personal: false },
  bytes_done: { personal: false },
  cancel_requested: { personal: false },
};

export const transferOptionsInventory: Record<string, TableDeclaration> = {
  transfer_preferences: {
    tenant_id: { personal: false },
    user_id: {
      personal: true,
      what: {
        en: 'What you chose to always do when a mail went to a target before',
        de: 'Was Sie immer tun möchten, wenn eine E-Mail schon an ein Ziel ging',
      },
      when: {
        en: 'When you tick "Remember my choice" in the add-in',
        de: 'Wenn Sie im Add-in „Auswahl merken“ ankreuzen',
      },
      why: { en: 'So you are not asked again', de: 'Damit Sie nicht erneut gefragt werden' },
      legalBasis: 'art6_1b_contract',
      retention: {
        en: 'Until your account is deleted',
        de: 'Bis Ihr Konto gelöscht wird',
      },
      surface: 'addin_and_portal',
    },
    duplicate_choice: { personal: false },
    updated_at: { personal: false },
  },
  target_transfer_options: {
    tenant_id: { personal: false },
    target_id: { personal: false },
    file_name_template: { personal: false },
    filed_category: { personal: false },
    filed_color: { personal: false },
    column_mapping: { personal: false },
    updated_at: { personal: false },
  },
};

export const transferOptionsSubjects: Record<string, TableSubjects> = {
  transfer_preferences: { keys: { userId: 'user_id', tenantId: 'tenant_id' } },
  target_transfer_options: { keys: { tenantId: 'tenant_id' } },
};

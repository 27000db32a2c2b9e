/**
 * The plans Mailissa is sold in: the one source for the website's pricing page and the registration
 * portal. Prices are net, in euro cents per seat and month; seats are bought per module.
 */
import type { Localised } from '../website/i18n.js';

export type PlanId = 'trial' | 'team' | 'transfer' | 'suite';
export type Module = 'team' | 'transfer';

export interface Plan {
  id: PlanId;
  name: Localised;
  summary: Localised;
  /** Which add-in modules each seat of this plan licenses. */
  modules: Module[];
  /** Net price per seat and month in euro cents; 0 for the trial. */
  pricePerSeatMonthCents: number;
  /** Days the plan runs without payment (trial only). */
  trialDays: number | null;
  /** Seats included in the trial, or the minimum a paid plan is sold with. */
  minSeats: number;
  maxSeats: number | null;
  features: Localised<string[]>;
}

export const CURRENCY = 'EUR';

export const plans: readonly Plan[] = [
  {
    id: 'trial',
    name: { en: 'Trial', de: 'Testphase' },
    summary: {
      en: 'Everything in Suite for 30 days, up to 10 users, no payment details needed.',
      de: 'Alles aus Suite für 30 Tage, bis zu 10 Benutzer, ohne Zahlungsdaten.',
    },
    modules: ['team', 'transfer'],
    pricePerSeatMonthCents: 0,
    trialDays: 30,
    minSeats: 1,
    maxSeats: 10,
    features: {
      en: ['Team and Transfer', 'Up to 10 users', 'Ends by itself — no automatic renewal'],
      de: ['Team und Transfer', 'Bis zu 10 Benutzer', 'Endet von selbst – keine automatische Verlängerung'],
    },
  },
  {
    id: 'team',
    name: { en: 'Team', de: 'Team' },
    summary: {
      en: 'Work on shared mail together, right in Outlook.',
      de: 'Gemeinsam an geteilten Mails arbeiten, direkt in Outlook.',
    },
    modules: ['team'],
    pricePerSeatMonthCents: 400,
    trialDays: null,
    minSeats: 1,
    maxSeats: null,
    features: {
      en: [
        'Shared categories in English and German',
        'Assignment, status and internal notes',
        'Who has the mail open right now',
      ],
      de: [
        'Gemeinsame Kategorien auf Deutsch und Englisch',
        'Zuständigkeit, Status und interne Notizen',
        'Wer die Mail gerade geöffnet hat',
      ],
    },
  },
  {
    id: 'transfer',
    name: { en: 'Transfer', de: 'Transfer' },
    summary: {
      en: 'Send a mail to the system where the work happens.',
      de: 'Eine Mail in das System schicken, in dem die Arbeit passiert.',
    },
    modules: ['transfer'],
    pricePerSeatMonthCents: 600,
    trialDays: null,
    minSeats: 1,
    maxSeats: null,
    features: {
      en: [
        'SharePoint, OneDrive, Teams, Planner, WebDAV, Jira, Trello, webhooks and more',
        'Field mapping and links to existing records',
        'Warns when a mail was sent before',
      ],
      de: [
        'SharePoint, OneDrive, Teams, Planner, WebDAV, Jira, Trello, Webhooks und mehr',
        'Feldzuordnung und Verknüpfung mit vorhandenen Datensätzen',
        'Warnt, wenn eine Mail schon übertragen wurde',
      ],
    },
  },
  {
    id: 'suite',
    name: { en: 'Suite', de: 'Suite' },
    summary: { en: 'Team and Transfer together, for less.', de: 'Team und Transfer zusammen, günstiger.' },
    modules: ['team', 'transfer'],
    pricePerSeatMonthCents: 850,
    trialDays: null,
    minSeats: 1,
    maxSeats: null,
    features: {
      en: ['Everything in Team', 'Everything in Transfer', 'Priority support'],
      de: ['Alles aus Team', 'Alles aus Transfer', 'Bevorzugter Support'],
    },
  },
];

export function findPlan(id: PlanId): Plan {
  const plan = plans.find((candidate) => candidate.id === id);
  if (!plan) throw new Error(`unknown plan ${id}`);
  return plan;
}

/** `8,50 €` / `€8.50` in the visitor's language. */
export function formatPrice(cents: number, lang: 'en' | 'de'): string {
  return new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-IE', {
    style: 'currency',
    currency: CURRENCY,
  }).format(cents / 100);
}

/**
 * The plans Mailissa is sold in: the one table the website's pricing page, the registration portal
 * and (later) the invoices read. Prices are net, in euro cents per seat; seats are bought per module.
 * Every plan starts with the same free trial: `TRIAL` days for `TRIAL_SEATS` seats of its modules.
 */
import type { Localised } from '../website/i18n.js';

export type PlanId = 'team' | 'transfer' | 'suite';
export type Module = 'team' | 'transfer';
export const PLAN_IDS = ['team', 'transfer', 'suite'] as const satisfies readonly PlanId[];

export interface Plan {
  id: PlanId;
  name: Localised;
  summary: Localised;
  /** Which add-in modules each seat of this plan licenses. */
  modules: Module[];
  /** Net price per seat and month in euro cents, paid monthly. */
  pricePerSeatMonthCents: number;
  /** Net price per seat and year in euro cents, paid yearly (two months free). */
  pricePerSeatYearCents: number;
  /** The free trial every plan starts with. */
  trial: { days: number; seats: number };
  features: Localised<string[]>;
}

export const CURRENCY = 'EUR';
const TRIAL = { days: 30, seats: 10 };

export const plans: readonly Plan[] = [
  {
    id: 'team',
    name: { en: 'Team', de: 'Team' },
    summary: {
      en: 'Work on shared mail together, right in Outlook.',
      de: 'Gemeinsam an geteilten Mails arbeiten, direkt in Outlook.',
    },
    modules: ['team'],
    pricePerSeatMonthCents: 400,
    pricePerSeatYearCents: 4000,
    trial: TRIAL,
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
    pricePerSeatYearCents: 6000,
    trial: TRIAL,
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
    pricePerSeatYearCents: 8500,
    trial: TRIAL,
    features: {
      en: ['Everything in Team', 'Everything in Transfer', 'Priority support'],
      de: ['Alles aus Team', 'Alles aus Transfer', 'Bevorzugter Support'],
    },
  },
];

export function isPlanId(value: unknown): value is PlanId {
  return typeof value === 'string' && (PLAN_IDS as readonly string[]).includes(value);
}

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

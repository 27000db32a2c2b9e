import { deterministicGuid } from './deterministic-id.js';
import { DEMO_TENANT_ID, NORTHWIND_TENANT_ID, OPERATOR_TENANT_ID, SECOND_TENANT_ID } from './tenant-ids.js';

export interface SeedUser {
  id: string;
  tenantId: string;
  displayName: string;
  givenName: string;
  surname: string;
  userPrincipalName: string;
  mail: string;
  jobTitle: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  preferredLanguage: string | null;
  accountEnabled: boolean;
}

export interface SeedGroup {
  id: string;
  tenantId: string;
  displayName: string;
  description: string;
  mailNickname: string;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility: string | null;
  createdDateTime: string;
  /** Direct members: user ids and group ids (nesting is only allowed in security groups, as in Entra). */
  memberIds: string[];
}

export interface SeedTenant {
  tenantId: string;
  displayName: string;
  defaultDomain: string;
  /** Customer tenants are the ones that buy Mailissa; the operator tenant runs it. */
  kind: 'customer' | 'operator';
  users: SeedUser[];
  groups: SeedGroup[];
  /** Users holding Entra's Global Administrator role: only they can grant admin consent. */
  globalAdminIds: string[];
  /**
   * Shared mailboxes: user objects without their own sign-in whose mail the listed members may read
   * and change with their own delegated tokens (Exchange's "full access"), docs/microsoft-365.md §5.11.
   */
  sharedMailboxes?: Array<{ userId: string; memberIds: string[] }>;
}

interface UserSpec {
  given: string;
  surname: string;
  local: string;
  jobTitle: string;
  office?: string;
  language?: string;
}

function user(tenantId: string, domain: string, spec: UserSpec, index: number): SeedUser {
  const upn = `${spec.local}@${domain}`;
  return {
    id: deterministicGuid(`user:${tenantId}:${upn}`),
    tenantId,
    displayName: `${spec.given} ${spec.surname}`,
    givenName: spec.given,
    surname: spec.surname,
    userPrincipalName: upn,
    mail: upn,
    jobTitle: spec.jobTitle,
    officeLocation: spec.office ?? null,
    mobilePhone: null,
    businessPhones: [`+49 40 555 0${String(100 + index)}`],
    preferredLanguage: spec.language ?? 'de-DE',
    accountEnabled: true,
  };
}

function group(
  tenantId: string,
  domain: string,
  spec: {
    name: string;
    nickname: string;
    description: string;
    kind: 'security' | 'unified';
    members: string[];
  },
): SeedGroup {
  const unified = spec.kind === 'unified';
  return {
    id: deterministicGuid(`group:${tenantId}:${spec.nickname}`),
    tenantId,
    displayName: spec.name,
    description: spec.description,
    mailNickname: spec.nickname,
    mail: unified ? `${spec.nickname}@${domain}` : null,
    mailEnabled: unified,
    securityEnabled: !unified,
    groupTypes: unified ? ['Unified'] : [],
    visibility: unified ? 'Private' : null,
    createdDateTime: '2026-01-05T08:00:00Z',
    memberIds: spec.members,
  };
}

const DEMO_DOMAIN = 'contoso.example';
const demoUserSpecs: UserSpec[] = [
  { given: 'Anna', surname: 'Berger', local: 'anna.berger', jobTitle: 'Office Manager', office: 'Hamburg' },
  { given: 'Jonas', surname: 'Weber', local: 'jonas.weber', jobTitle: 'Sales Manager', office: 'Hamburg' },
  {
    given: 'Lena',
    surname: 'Fischer',
    local: 'lena.fischer',
    jobTitle: 'Account Executive',
    office: 'Hamburg',
  },
  {
    given: 'Maximilian',
    surname: 'Schäfer',
    local: 'maximilian.schaefer',
    jobTitle: 'Head of Sales',
    office: 'Berlin',
  },
  {
    given: 'Sophie',
    surname: 'Wagner',
    local: 'sophie.wagner',
    jobTitle: 'Sales Assistant',
    office: 'Berlin',
  },
  { given: 'Lukas', surname: 'Becker', local: 'lukas.becker', jobTitle: 'Engineer', office: 'Hamburg' },
  {
    given: 'Marie',
    surname: 'Hoffmann',
    local: 'marie.hoffmann',
    jobTitle: 'Managing Director',
    office: 'Hamburg',
  },
  { given: 'Felix', surname: 'Schulz', local: 'felix.schulz', jobTitle: 'Support Lead', office: 'Köln' },
  { given: 'Emma', surname: 'Koch', local: 'emma.koch', jobTitle: 'HR Manager', office: 'Hamburg' },
  {
    given: 'Paul',
    surname: 'Richter',
    local: 'paul.richter',
    jobTitle: 'Project Manager',
    office: 'Hamburg',
  },
  { given: 'Hannah', surname: 'Klein', local: 'hannah.klein', jobTitle: 'Support Agent', office: 'Köln' },
  { given: 'Leon', surname: 'Wolf', local: 'leon.wolf', jobTitle: 'Operations Engineer', office: 'Hamburg' },
  { given: 'Mia', surname: 'Schröder', local: 'mia.schroeder', jobTitle: 'Quality Engineer', office: 'Köln' },
  { given: 'Noah', surname: 'Neumann', local: 'noah.neumann', jobTitle: 'Engineer', office: 'Berlin' },
  { given: 'Laura', surname: 'Schwarz', local: 'laura.schwarz', jobTitle: 'Support Agent', office: 'Köln' },
  {
    given: 'Elias',
    surname: 'Zimmermann',
    local: 'elias.zimmermann',
    jobTitle: 'Platform Engineer',
    office: 'Berlin',
    language: 'en-US',
  },
  { given: 'Clara', surname: 'Braun', local: 'clara.braun', jobTitle: 'Controller', office: 'Hamburg' },
  { given: 'Ben', surname: 'Krüger', local: 'ben.krueger', jobTitle: 'Platform Engineer', office: 'Berlin' },
  {
    given: 'Julia',
    surname: 'Hofmann',
    local: 'julia.hofmann',
    jobTitle: 'Marketing Manager',
    office: 'Hamburg',
    language: 'en-GB',
  },
  { given: 'David', surname: 'Lange', local: 'david.lange', jobTitle: 'Intern', office: 'Hamburg' },
];

function buildDemoTenant(): SeedTenant {
  const users = demoUserSpecs.map((spec, index) => user(DEMO_TENANT_ID, DEMO_DOMAIN, spec, index));
  const byLocal = (local: string): string => {
    const found = users.find((u) => u.userPrincipalName === `${local}@${DEMO_DOMAIN}`);
    if (!found) throw new Error(`seed: no demo user ${local}`);
    return found.id;
  };
  const g = (spec: Parameters<typeof group>[2]) => group(DEMO_TENANT_ID, DEMO_DOMAIN, spec);
  const platform = g({
    name: 'Platform Team',
    nickname: 'platform-team',
    description: 'Engineers who run the platform.',
    kind: 'security',
    members: ['elias.zimmermann', 'ben.krueger', 'leon.wolf'].map(byLocal),
  });
  const engineering = g({
    name: 'Engineering',
    nickname: 'engineering',
    description: 'All engineers (includes the Platform Team).',
    kind: 'security',
    members: [...['lukas.becker', 'noah.neumann', 'mia.schroeder', 'paul.richter'].map(byLocal), platform.id],
  });
  const sales = g({
    name: 'Sales',
    nickname: 'sales',
    description: 'Sales and account management.',
    kind: 'unified',
    members: ['jonas.weber', 'lena.fischer', 'maximilian.schaefer', 'sophie.wagner', 'julia.hofmann'].map(
      byLocal,
    ),
  });
  const support = g({
    name: 'Support',
    nickname: 'support',
    description: 'Customer support (shared mailbox users).',
    kind: 'unified',
    members: ['felix.schulz', 'hannah.klein', 'laura.schwarz', 'anna.berger'].map(byLocal),
  });
  // Appended last so the ids and order of the people above stay as they were.
  const supportMailbox: SeedUser = {
    ...user(
      DEMO_TENANT_ID,
      DEMO_DOMAIN,
      { given: 'Contoso', surname: 'Support', local: 'support', jobTitle: 'Shared mailbox' },
      users.length,
    ),
    displayName: 'Contoso Support',
    jobTitle: null,
    businessPhones: [],
    // Exchange disables the account of a shared mailbox: nobody signs in as it.
    accountEnabled: false,
  };
  users.push(supportMailbox);
  const management = g({
    name: 'Management',
    nickname: 'management',
    description: 'Managing director and heads of department.',
    kind: 'security',
    members: ['marie.hoffmann', 'maximilian.schaefer', 'emma.koch', 'clara.braun'].map(byLocal),
  });
  const allStaff = g({
    name: 'All Staff',
    nickname: 'all-staff',
    description: 'Everyone at Contoso, by department (nested groups).',
    kind: 'security',
    members: [engineering.id, management.id, byLocal('anna.berger'), byLocal('david.lange')],
  });
  return {
    tenantId: DEMO_TENANT_ID,
    displayName: 'Contoso (Demo)',
    defaultDomain: DEMO_DOMAIN,
    kind: 'customer',
    users,
    groups: [allStaff, engineering, platform, sales, support, management],
    globalAdminIds: [byLocal('marie.hoffmann')],
    sharedMailboxes: [
      {
        userId: supportMailbox.id,
        memberIds: ['felix.schulz', 'hannah.klein', 'laura.schwarz', 'anna.berger'].map(byLocal),
      },
    ],
  };
}

function buildSecondTenant(): SeedTenant {
  const domain = 'fabrikam.example';
  const users = [
    {
      given: 'Olivia',
      surname: 'Martin',
      local: 'olivia.martin',
      jobTitle: 'Managing Director',
      language: 'en-GB',
    },
    { given: 'Tom', surname: 'Baker', local: 'tom.baker', jobTitle: 'Accountant', language: 'en-GB' },
    { given: 'Grace', surname: 'Lee', local: 'grace.lee', jobTitle: 'Project Manager', language: 'en-GB' },
  ].map((spec, index) => user(SECOND_TENANT_ID, domain, spec, index));
  const everyone = group(SECOND_TENANT_ID, domain, {
    name: 'Fabrikam Everyone',
    nickname: 'everyone',
    description: 'All Fabrikam staff.',
    kind: 'unified',
    members: users.map((u) => u.id),
  });
  return {
    tenantId: SECOND_TENANT_ID,
    displayName: 'Fabrikam Ltd (Demo)',
    defaultDomain: domain,
    kind: 'customer',
    users,
    groups: [everyone],
    globalAdminIds: users.slice(0, 1).map((u) => u.id),
  };
}

/**
 * A customer tenant without a Mailissa subscription and without admin consent: the one a buyer
 * registers through /register in demo mode. Its managing director is its global administrator.
 */
function buildNorthwindTenant(): SeedTenant {
  const domain = 'northwind.example';
  const users = [
    {
      given: 'Nora',
      surname: 'Lindqvist',
      local: 'nora.lindqvist',
      jobTitle: 'Managing Director',
      language: 'en-GB',
    },
    { given: 'Oskar', surname: 'Berg', local: 'oskar.berg', jobTitle: 'Buyer', language: 'de-DE' },
    { given: 'Pia', surname: 'Holm', local: 'pia.holm', jobTitle: 'Sales Manager', language: 'de-DE' },
  ].map((spec, index) => user(NORTHWIND_TENANT_ID, domain, spec, index));
  const everyone = group(NORTHWIND_TENANT_ID, domain, {
    name: 'Northwind Everyone',
    nickname: 'everyone',
    description: 'All Northwind staff.',
    kind: 'unified',
    members: users.map((u) => u.id),
  });
  return {
    tenantId: NORTHWIND_TENANT_ID,
    displayName: 'Northwind Traders (Demo)',
    defaultDomain: domain,
    kind: 'customer',
    users,
    groups: [everyone],
    globalAdminIds: users.slice(0, 1).map((u) => u.id),
  };
}

function buildOperatorTenant(): SeedTenant {
  const domain = 'mailissa-operator.example';
  const users = [
    { given: 'Olga', surname: 'Operator', local: 'operator', jobTitle: 'Operator' },
    { given: 'Sam', surname: 'Security', local: 'security', jobTitle: 'Security Officer' },
    { given: 'Dana', surname: 'Datenschutz', local: 'privacy', jobTitle: 'Data Protection Officer' },
  ].map((spec, index) => user(OPERATOR_TENANT_ID, domain, spec, index));
  const operators = group(OPERATOR_TENANT_ID, domain, {
    name: 'Mailissa Operators',
    nickname: 'operators',
    description: 'People who may use the operator console.',
    kind: 'security',
    members: users.map((u) => u.id),
  });
  return {
    tenantId: OPERATOR_TENANT_ID,
    displayName: 'Mailissa Operations (Demo)',
    defaultDomain: domain,
    kind: 'operator',
    users,
    groups: [operators],
    globalAdminIds: users.slice(0, 1).map((u) => u.id),
  };
}

/** Every seeded tenant, built once; the order is the order of the picker and of `/emulator/tenants`. */
export const SEED_TENANTS: readonly SeedTenant[] = [
  buildDemoTenant(),
  buildSecondTenant(),
  buildNorthwindTenant(),
  buildOperatorTenant(),
];

function firstUser(tenantId: string): SeedUser {
  const found = SEED_TENANTS.find((t) => t.tenantId === tenantId)?.users[0];
  if (!found) throw new Error(`seed: tenant ${tenantId} has no users`);
  return found;
}

const demoFirstUser = firstUser(DEMO_TENANT_ID);
/** The first demo user: every seed mail is addressed to them; imported mails land in their mailbox. */
export const DEMO_USER_UPN = demoFirstUser.userPrincipalName;
export const DEMO_USER_OID = demoFirstUser.id;
export const DEMO_USER_DISPLAY_NAME = demoFirstUser.displayName;
/** A second demo user, handy for "another user's mailbox" tests. */
export const DEMO_SECOND_USER_UPN = 'jonas.weber@contoso.example';
/** The demo tenant's shared mailbox; Anna Berger, Felix Schulz, Hannah Klein and Laura Schwarz are members. */
export const DEMO_SHARED_MAILBOX_UPN = 'support@contoso.example';
export const SECOND_TENANT_USER_UPN = firstUser(SECOND_TENANT_ID).userPrincipalName;
export const OPERATOR_USER_UPN = firstUser(OPERATOR_TENANT_ID).userPrincipalName;
/** Northwind's global administrator (registers the tenant and grants admin consent) and a colleague. */
export const NORTHWIND_ADMIN_UPN = firstUser(NORTHWIND_TENANT_ID).userPrincipalName;
export const NORTHWIND_USER_UPN = 'oskar.berg@northwind.example';
export const OPERATOR_USER_OID = firstUser(OPERATOR_TENANT_ID).id;

export function findSeedTenant(tenantId: string): SeedTenant | undefined {
  return SEED_TENANTS.find((t) => t.tenantId === tenantId.toLowerCase());
}

/** Group ids by mail nickname, for tests and for other features' seeds. */
export const DEMO_GROUP_IDS = Object.fromEntries(
  (findSeedTenant(DEMO_TENANT_ID)?.groups ?? []).map((g) => [g.mailNickname, g.id]),
) as Record<'all-staff' | 'engineering' | 'platform-team' | 'sales' | 'support' | 'management', string>;

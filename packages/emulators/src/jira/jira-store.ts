/**
 * The Jira Cloud stand-in's state, in memory: one site with its accounts (email + API token),
 * projects with issue types and a few custom fields, and the issues created through the API with
 * their attachments and comments. A server restart starts afresh, as a test wants.
 */

export interface JiraAccount {
  accountId: string;
  emailAddress: string;
  displayName: string;
  apiToken: string;
}

export interface JiraCustomField {
  id: string;
  name: string;
  /** `string` takes text, `datetime` an ISO-8601 timestamp, `labels` an array of words. */
  type: 'string' | 'datetime';
}

export interface JiraProject {
  id: string;
  key: string;
  name: string;
  issueTypes: { id: string; name: string }[];
  customFields: JiraCustomField[];
  /** Accounts that may browse and create in this project; others get a permission error. */
  members: string[];
}

export interface JiraAttachment {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  bytes: Buffer;
  created: string;
  authorId: string;
}

export interface JiraComment {
  id: string;
  body: unknown;
  created: string;
  authorId: string;
  properties: { key: string; value: unknown }[];
}

export interface JiraIssue {
  id: string;
  key: string;
  projectKey: string;
  issueTypeId: string;
  summary: string;
  description: unknown;
  labels: string[];
  custom: Record<string, unknown>;
  created: string;
  updated: string;
  reporterId: string;
  attachments: JiraAttachment[];
  comments: JiraComment[];
}

/** The accounts the demo and the tests sign in with (Basic auth: email + API token). */
export const JIRA_DEMO_ACCOUNTS = {
  anna: {
    accountId: '712020:6f1c7e42-anna',
    emailAddress: 'anna.berger@contoso.example',
    displayName: 'Anna Berger',
    apiToken: 'ATATT-demo-anna-7c1f0e',
  },
  max: {
    accountId: '712020:0b9d21aa-max',
    emailAddress: 'max.mustermann@contoso.example',
    displayName: 'Max Mustermann',
    apiToken: 'ATATT-demo-max-4e2b91',
  },
} as const satisfies Record<string, JiraAccount>;

export class JiraStore {
  readonly accounts: JiraAccount[] = Object.values(JIRA_DEMO_ACCOUNTS).map((account) => ({ ...account }));
  readonly projects: JiraProject[] = [
    {
      id: '10000',
      key: 'MAIL',
      name: 'Mail intake',
      issueTypes: [
        { id: '10001', name: 'Task' },
        { id: '10002', name: 'Bug' },
        { id: '10003', name: 'Story' },
      ],
      customFields: [
        { id: 'customfield_10040', name: 'Sender', type: 'string' },
        { id: 'customfield_10041', name: 'Received', type: 'datetime' },
        { id: 'customfield_10042', name: 'Mail category', type: 'string' },
      ],
      members: [JIRA_DEMO_ACCOUNTS.anna.accountId, JIRA_DEMO_ACCOUNTS.max.accountId],
    },
    {
      id: '10010',
      key: 'HR',
      name: 'Human resources',
      issueTypes: [{ id: '10011', name: 'Task' }],
      customFields: [],
      members: [JIRA_DEMO_ACCOUNTS.max.accountId],
    },
  ];
  readonly issues: JiraIssue[] = [];
  private nextId = 10100;
  private readonly counters = new Map<string, number>();

  newId(): string {
    this.nextId += 1;
    return String(this.nextId);
  }

  nextKey(projectKey: string): string {
    const number = (this.counters.get(projectKey) ?? 0) + 1;
    this.counters.set(projectKey, number);
    return `${projectKey}-${number}`;
  }

  accountByBasic(email: string, token: string): JiraAccount | undefined {
    return this.accounts.find(
      (account) => account.emailAddress.toLowerCase() === email.toLowerCase() && account.apiToken === token,
    );
  }

  project(keyOrId: string): JiraProject | undefined {
    return this.projects.find((project) => project.key === keyOrId.toUpperCase() || project.id === keyOrId);
  }

  issue(keyOrId: string): JiraIssue | undefined {
    return this.issues.find((issue) => issue.key === keyOrId.toUpperCase() || issue.id === keyOrId);
  }

  /** How many issues carry a label: the exactly-once tests count with it. */
  issuesLabelled(label: string): JiraIssue[] {
    return this.issues.filter((issue) => issue.labels.includes(label));
  }

  attachment(id: string): { issue: JiraIssue; attachment: JiraAttachment } | undefined {
    for (const issue of this.issues) {
      const attachment = issue.attachments.find((candidate) => candidate.id === id);
      if (attachment) return { issue, attachment };
    }
    return undefined;
  }
}

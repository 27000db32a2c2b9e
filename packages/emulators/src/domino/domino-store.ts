/**
 * The Domino REST API stand-in's state, in memory: users with an Internet password, one scope
 * (`dataSource`) onto a mail-filing database with the form `Memo` and the items its default form
 * mode allows, and the documents made through the API with their attachments.
 */

export interface DominoUser {
  /** The hierarchical name, as DRAPI puts it in the token's `sub`. */
  name: string;
  username: string;
  password: string;
}

export interface DominoForm {
  name: string;
  /** The items the form's `default` mode lets the API write and read. */
  items: string[];
}

export interface DominoScope {
  name: string;
  nsfPath: string;
  forms: DominoForm[];
  /** Users with at least Author access in the database's ACL. */
  authors: string[];
}

export interface DominoAttachment {
  name: string;
  bytes: Buffer;
  mimeType: string;
}

export interface DominoDocument {
  unid: string;
  noteid: number;
  scope: string;
  form: string;
  items: Record<string, unknown>;
  parentUnid: string | null;
  created: string;
  lastmodified: string;
  attachments: DominoAttachment[];
}

export const DOMINO_DEMO_USERS = {
  anna: { name: 'CN=Anna Berger/O=Contoso', username: 'Anna Berger', password: 'domino-demo-anna' },
  max: { name: 'CN=Max Mustermann/O=Contoso', username: 'Max Mustermann', password: 'domino-demo-max' },
} as const satisfies Record<string, DominoUser>;

export const DOMINO_DEMO_SCOPE = 'mailfiling';

export class DominoStore {
  readonly users: DominoUser[] = Object.values(DOMINO_DEMO_USERS).map((user) => ({ ...user }));
  readonly scopes: DominoScope[] = [
    {
      name: DOMINO_DEMO_SCOPE,
      nsfPath: 'mail/filing.nsf',
      forms: [
        {
          name: 'Memo',
          items: ['Subject', 'From', 'PostedDate', 'Body', 'Categories', 'MailissaTransfer'],
        },
      ],
      authors: [DOMINO_DEMO_USERS.anna.name, DOMINO_DEMO_USERS.max.name],
    },
    {
      name: 'board',
      nsfPath: 'board/minutes.nsf',
      forms: [{ name: 'Minutes', items: ['Subject', 'Body'] }],
      authors: [DOMINO_DEMO_USERS.max.name],
    },
  ];
  readonly documents: DominoDocument[] = [];
  private noteid = 2300;

  nextNoteId(): number {
    this.noteid += 4;
    return this.noteid;
  }

  user(username: string, password: string): DominoUser | undefined {
    return this.users.find(
      (user) =>
        (user.username.toLowerCase() === username.toLowerCase() || user.name === username) &&
        user.password === password,
    );
  }

  document(scope: string, unid: string): DominoDocument | undefined {
    return this.documents.find((doc) => doc.scope === scope && doc.unid === unid.toUpperCase());
  }
}

/**
 * The Trello stand-in's state, in memory: members with an API key and token, boards with lists, and
 * the cards, attachments and comments made through the API. A restart starts afresh.
 */
import { randomBytes } from 'node:crypto';

export interface TrelloMember {
  id: string;
  username: string;
  fullName: string;
  apiKey: string;
  token: string;
}

export interface TrelloBoard {
  id: string;
  name: string;
  members: string[];
}

export interface TrelloList {
  id: string;
  name: string;
  idBoard: string;
  closed: boolean;
}

export interface TrelloAttachment {
  id: string;
  name: string;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
  date: string;
  idMember: string;
}

export interface TrelloComment {
  id: string;
  text: string;
  date: string;
  idMember: string;
}

/** A board's custom field (the Custom Fields Power-Up); list fields are not kept by the stand-in. */
export interface TrelloCustomField {
  id: string;
  idModel: string;
  name: string;
  type: 'text' | 'number' | 'date' | 'checkbox';
}

/** A card's value of a custom field: one of `text`, `number`, `date`, `checked`, all strings. */
export interface TrelloCustomFieldItem {
  id: string;
  idCustomField: string;
  value: Partial<Record<'text' | 'number' | 'date' | 'checked', string>>;
}

export interface TrelloCard {
  id: string;
  shortLink: string;
  idShort: number;
  name: string;
  desc: string;
  idList: string;
  idBoard: string;
  closed: boolean;
  dateLastActivity: string;
  attachments: TrelloAttachment[];
  comments: TrelloComment[];
  customFieldItems: TrelloCustomFieldItem[];
}

export const TRELLO_DEMO_MEMBERS = {
  anna: {
    id: '6a1f0c2b9d8e7f6a5b4c3d21',
    username: 'annaberger',
    fullName: 'Anna Berger',
    apiKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    token: 'ATTAdemoannatoken0c1d2e3f4a5b6c7d8e9f',
  },
  max: {
    id: '6a1f0c2b9d8e7f6a5b4c3d22',
    username: 'maxmustermann',
    fullName: 'Max Mustermann',
    apiKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    token: 'ATTAdemomaxtoken9f8e7d6c5b4a3f2e1d0c',
  },
} as const satisfies Record<string, TrelloMember>;

export const TRELLO_DEMO_IDS = {
  board: '6a1f0c2b9d8e7f6a5b4c3e01',
  inbox: '6a1f0c2b9d8e7f6a5b4c3e11',
  doing: '6a1f0c2b9d8e7f6a5b4c3e12',
  privateBoard: '6a1f0c2b9d8e7f6a5b4c3e02',
  privateList: '6a1f0c2b9d8e7f6a5b4c3e21',
  /** Custom fields of "Customer mail": a text, a date and a number field. */
  senderField: '6a1f0c2b9d8e7f6a5b4c3f01',
  receivedField: '6a1f0c2b9d8e7f6a5b4c3f02',
  customerNumberField: '6a1f0c2b9d8e7f6a5b4c3f03',
} as const;

let counter = 0;
/** A Trello-shaped id: 24 hex characters, time first so they sort by creation. */
export function trelloId(now: Date): string {
  counter += 1;
  const time = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `${time}${counter.toString(16).padStart(6, '0')}${randomBytes(5).toString('hex')}`.slice(0, 24);
}

export class TrelloStore {
  readonly members: TrelloMember[] = Object.values(TRELLO_DEMO_MEMBERS).map((member) => ({ ...member }));
  readonly boards: TrelloBoard[] = [
    {
      id: TRELLO_DEMO_IDS.board,
      name: 'Customer mail',
      members: [TRELLO_DEMO_MEMBERS.anna.id, TRELLO_DEMO_MEMBERS.max.id],
    },
    { id: TRELLO_DEMO_IDS.privateBoard, name: 'Board of directors', members: [TRELLO_DEMO_MEMBERS.max.id] },
  ];
  readonly lists: TrelloList[] = [
    { id: TRELLO_DEMO_IDS.inbox, name: 'Inbox', idBoard: TRELLO_DEMO_IDS.board, closed: false },
    { id: TRELLO_DEMO_IDS.doing, name: 'Doing', idBoard: TRELLO_DEMO_IDS.board, closed: false },
    { id: TRELLO_DEMO_IDS.privateList, name: 'Agenda', idBoard: TRELLO_DEMO_IDS.privateBoard, closed: false },
  ];
  readonly customFields: TrelloCustomField[] = [
    { id: TRELLO_DEMO_IDS.senderField, idModel: TRELLO_DEMO_IDS.board, name: 'Sender', type: 'text' },
    { id: TRELLO_DEMO_IDS.receivedField, idModel: TRELLO_DEMO_IDS.board, name: 'Received', type: 'date' },
    {
      id: TRELLO_DEMO_IDS.customerNumberField,
      idModel: TRELLO_DEMO_IDS.board,
      name: 'Customer no.',
      type: 'number',
    },
  ];
  readonly cards: TrelloCard[] = [];

  member(apiKey: string, token: string): TrelloMember | undefined {
    return this.members.find((member) => member.apiKey === apiKey && member.token === token);
  }

  card(idOrShortLink: string): TrelloCard | undefined {
    return this.cards.find((card) => card.id === idOrShortLink || card.shortLink === idOrShortLink);
  }
}

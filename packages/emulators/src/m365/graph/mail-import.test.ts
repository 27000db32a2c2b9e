import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER_OID, SEED_TENANTS } from '../seed/directory-seed.js';
import { Directory } from './directory.js';
import { parseCopy, receivedTime, stripEnvelope } from './mail-import.js';
import { MailboxStore, type StoredMessage } from './mailbox-store.js';

const CRLF = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

const PLAIN = CRLF([
  'From: Importer <import@example.org>',
  'To: anna.berger@contoso.example',
  'Subject: Plain import',
  'Date: Sat, 28 Nov 2026 10:00:00 +0000',
  'Message-ID: <plain@example.org>',
  '',
  'Hello.',
]);

/** Windows-1252 bytes straight in the header, no RFC 2047 encoding, no charset anywhere. */
const CP1252_HEADER = Buffer.concat([
  iconv.encode(
    CRLF([
      'From: "Jürgen Groß" <j.gross@example.de>',
      'To: anna.berger@contoso.example',
      'Subject: Angebot für Müller – Preisübersicht',
      'Date: Mon, 02 Nov 2026 08:00:00 +0100',
      'Message-ID: <cp1252@example.de>',
      '',
    ]),
    'windows-1252',
  ),
  Buffer.from('Siehe Anhang.\r\n'),
]);

/** Big5 bytes in the Subject; the body declares big5, as the writing client did. */
const BIG5_HEADER = Buffer.concat([
  iconv.encode(
    CRLF([
      'From: sender@example.tw',
      'To: anna.berger@contoso.example',
      'Subject: 會議記錄',
      'Date: Tue, 03 Nov 2026 09:00:00 +0800',
      'Message-ID: <big5@example.tw>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=big5',
      '',
      '請參閱。',
    ]),
    'big5',
  ),
]);

const UNNAMED_PARTS = CRLF([
  'From: reports@example.org',
  'To: anna.berger@contoso.example',
  'Subject: Unnamed parts',
  'Date: Wed, 04 Nov 2026 12:00:00 +0000',
  'Message-ID: <unnamed@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain',
  '',
  'Two unnamed parts follow.',
  '--b1',
  'Content-Type: application/pdf',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4 fake').toString('base64'),
  '--b1',
  'Content-Type: image/png',
  'Content-Location: http://example.org/images/chart%202026.png',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('PNG fake').toString('base64'),
  '--b1--',
]);

const NO_DATE = CRLF([
  'From: nodate@example.org',
  'To: anna.berger@contoso.example',
  'Subject: Without a date',
  'Message-ID: <nodate@example.org>',
  '',
  'No Date header here.',
]);

const RECEIVED = CRLF([
  'Received: from mx.example.org by mail.contoso.example;',
  ' Thu, 05 Nov 2026 14:30:05 +0100',
  'Received: from laptop by mx.example.org; Thu, 05 Nov 2026 14:29:00 +0100',
  'From: received@example.org',
  'To: anna.berger@contoso.example',
  'Subject: Received stamp',
  'Date: Thu, 05 Nov 2026 13:00:00 +0100',
  'Message-ID: <received@example.org>',
  '',
  'Body.',
]);

const BROKEN_DISPOSITION = CRLF([
  'From: newsletter@example.org',
  'To: anna.berger@contoso.example',
  'Subject: Broken disposition',
  'Date: Fri, 06 Nov 2026 07:00:00 +0000',
  'Message-ID: <broken-disposition@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  'Content-Disposition: inline filename="news.html"',
  '',
  '<p>The newsletter text.</p>',
]);

const ENVELOPE = `From MAILER-DAEMON Fri Jul  8 12:08:34 2011\r\n${CRLF([
  'From: mbox@example.org',
  'To: anna.berger@contoso.example',
  'Subject: From an mbox export',
  'Date: Sat, 07 Nov 2026 10:00:00 +0000',
  'Message-ID: <mbox@example.org>',
  '',
  'Body.',
])}`;

const BOM_MAIL = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from(
    CRLF([
      'From: bom@example.org',
      'To: anna.berger@contoso.example',
      'Subject: With a byte-order mark',
      'Date: Sun, 08 Nov 2026 10:00:00 +0000',
      'Message-ID: <bom@example.org>',
      '',
      'Body.',
    ]),
  ),
]);

let dir: string;
let store: MailboxStore;
const warnings: string[] = [];
const infos: string[] = [];
const FILE_TIME = new Date('2026-10-01T06:07:08Z');

function bySubject(subject: string): StoredMessage {
  const found = store.messages(DEMO_USER_OID).find((m) => m.content.subject === subject);
  if (!found) throw new Error(`no imported mail "${subject}"`);
  return found;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mailissa-import-fixes-'));
  const files: Record<string, string | Buffer> = {
    'a-plain.eml': PLAIN,
    'b-cp1252.eml': CP1252_HEADER,
    'c-big5.eml': BIG5_HEADER,
    'd-unnamed.eml': UNNAMED_PARTS,
    'e-nodate.eml': NO_DATE,
    'f-received.eml': RECEIVED,
    'g-broken-disposition.eml': BROKEN_DISPOSITION,
    'h-envelope.eml': ENVELOPE,
    'i-bom.eml': BOM_MAIL,
    'j-image.eml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    'k-readme.txt': 'not a mail',
  };
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), content);
    await utimes(path.join(dir, name), FILE_TIME, FILE_TIME);
  }
  store = await MailboxStore.create({
    directory: new Directory(SEED_TENANTS),
    seedMails: [],
    importDir: dir,
    now: () => new Date('2030-01-01T00:00:00Z'),
    warn: (message) => warnings.push(message),
    info: (message) => infos.push(message),
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('importing .eml files', () => {
  it('says how many files were imported and why each skipped one was', () => {
    expect(store.importReport.imported).toHaveLength(9);
    expect(store.importReport.skipped).toEqual([
      { fileName: 'j-image.eml', reason: 'not an Internet message (no RFC 5322 header block)' },
      { fileName: 'k-readme.txt', reason: 'not an .eml file' },
    ]);
    expect(infos).toEqual(['EMULATOR_IMPORT_DIR: imported 9 of 11 files, skipped 2']);
    expect(warnings).toEqual([
      'EMULATOR_IMPORT_DIR: skipped j-image.eml: not an Internet message (no RFC 5322 header block)',
      'EMULATOR_IMPORT_DIR: skipped k-readme.txt: not an .eml file',
    ]);
  });

  it('accepts an mbox envelope line and a byte-order mark and stores the mail without them', () => {
    const mbox = bySubject('From an mbox export');
    expect(Buffer.concat(mbox.mime).toString('latin1')).toBe(ENVELOPE.slice(ENVELOPE.indexOf('\r\n') + 2));
    expect(mbox.from?.emailAddress.address).toBe('mbox@example.org');
    const bom = bySubject('With a byte-order mark');
    expect(Buffer.concat(bom.mime)).toEqual(BOM_MAIL.subarray(3));
  });

  it('reads raw 8-bit header text in its charset instead of U+FFFD', () => {
    const cp1252 = bySubject('Angebot für Müller – Preisübersicht');
    expect(cp1252.from?.emailAddress.name).toBe('Jürgen Groß');
    expect(Buffer.concat(cp1252.mime)).toEqual(CP1252_HEADER);
    const big5 = bySubject('會議記錄');
    expect(big5.content.bodyText.trim()).toBe('請參閱。');
  });

  it('names unnamed parts from Content-Location or the content type', () => {
    const mail = bySubject('Unnamed parts');
    expect(mail.attachments.map((a) => a.name)).toEqual(['attachment.pdf', 'chart 2026.png']);
  });

  it('gives a stable received time: Received, else Date, else the file time', () => {
    expect(bySubject('Received stamp').content.date).toBe('2026-11-05T13:30:05Z');
    expect(bySubject('Plain import').content.date).toBe('2026-11-28T10:00:00Z');
    expect(bySubject('Without a date').content.date).toBe('2026-10-01T06:07:08Z');
  });

  it('treats a single-part html body with a broken disposition as the body', () => {
    const mail = bySubject('Broken disposition');
    expect(mail.attachments).toEqual([]);
    expect(mail.content.bodyHtml).toContain('The newsletter text.');
  });
});

describe('the helpers', () => {
  it('strips a mark before an envelope line and leaves other mail alone', () => {
    const both = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ENVELOPE)]);
    expect(stripEnvelope(both).toString().startsWith('From: mbox@example.org')).toBe(true);
    const plain = Buffer.from(PLAIN);
    expect(stripEnvelope(plain)).toBe(plain);
  });

  it('leaves a mail with UTF-8 or ASCII headers untouched for the parser', () => {
    const utf8 = Buffer.from('Subject: Grüße\r\n\r\nBody\r\n');
    expect(parseCopy(utf8)).toEqual({ bytes: utf8, headerCharset: undefined });
  });

  it('never reads 8-bit body text as header text', () => {
    const mail = Buffer.concat([
      Buffer.from('Subject: Plain\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n'),
      iconv.encode('Grüße aus Köln', 'windows-1252'),
    ]);
    expect(parseCopy(mail).bytes).toEqual(mail);
  });

  it('reads a part header written in 8-bit too', () => {
    const mail = Buffer.concat([
      Buffer.from('Subject: x\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\n'),
      iconv.encode('Content-Type: application/pdf; name="Prüfbericht.pdf"\r\n\r\n', 'windows-1252'),
      Buffer.from('PDF\r\n--zz--\r\n'),
    ]);
    const copy = parseCopy(mail);
    expect(copy.headerCharset).toBe('windows-1252');
    expect(copy.bytes.toString('utf8')).toContain('name="Prüfbericht.pdf"');
  });

  it('finds the part headers of a mail written with bare line feeds as well', () => {
    const mail = Buffer.concat([
      Buffer.from('Subject: x\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\n'),
      iconv.encode('Content-Type: application/pdf; name="Prüfbericht.pdf"\n\n', 'windows-1252'),
      iconv.encode('Grüße\n--zz--\n', 'windows-1252'),
    ]);
    const copy = parseCopy(mail);
    expect(copy.headerCharset).toBe('windows-1252');
    expect(copy.bytes.toString('utf8')).toContain('name="Prüfbericht.pdf"\n\n');
    // The part's body is not header text: its bytes stay as they came.
    expect(copy.bytes.subarray(-13)).toEqual(iconv.encode('Grüße\n--zz--\n', 'windows-1252'));
  });

  it('takes the file time when neither Received nor Date can be read', () => {
    const time = new Date('2026-01-02T03:04:05Z');
    expect(receivedTime(Buffer.from('Subject: x\r\nDate: yesterday\r\n\r\n'), time)).toEqual(time);
  });
});

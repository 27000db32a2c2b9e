import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/database.js';
import { JIRA_DEMO_ACCOUNTS } from '../../demo/emulators.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js';
import { getTransfer } from '../../transfer/get-transfer.js';
import { createTransferProgressStore } from '../../transfer/transfer-progress-store.js';
import type { TransferProgress } from '../connector.js';
import { RECORD_PART_KEY } from '../rest-target/record-once.js';
import {
  mailOf,
  part,
  restContext,
  type SaasEmulators,
  startSaasEmulators,
} from '../rest-target/rest-target-test-support.js';
import { jiraConnector } from './jira-connector.js';

let database: TestDatabase;
let emulators: SaasEmulators;
const ids = { tenant: '', user: '', target: '', transfer: '' };
const anna = JIRA_DEMO_ACCOUNTS.anna;

beforeAll(async () => {
  [database, emulators] = await Promise.all([createTestDatabase(), startSaasEmulators()]);
  const db = database.db;
  ids.tenant =
    (
      await db.query<{ id: string }>(
        "insert into tenants (microsoft_tenant_id, name, admin_consent_at) values (gen_random_uuid(), 'Contoso', now()) returning id",
      )
    ).rows[0]?.id ?? '';
  ids.user =
    (
      await db.query<{ id: string }>(
        `insert into users (tenant_id, entra_object_id, email, display_name)
         values ($1, gen_random_uuid(), 'anna@contoso.example', 'Anna') returning id`,
        [ids.tenant],
      )
    ).rows[0]?.id ?? '';
  ids.target =
    (
      await db.query<{ id: string }>(
        `insert into targets (tenant_id, connector_type, title_en, title_de, settings)
         values ($1, 'jira', 'Mail intake', 'Posteingang', $2::jsonb) returning id`,
        [ids.tenant, JSON.stringify({ siteUrl: emulators.jira.siteUrl, projectKey: 'MAIL' })],
      )
    ).rows[0]?.id ?? '';
  ids.transfer =
    (
      await db.query<{ id: string }>(
        `insert into transfers (tenant_id, target_id, created_by, mailbox_object_id, message_id, internet_message_id, state)
         values ($1, $2, $3, gen_random_uuid(), 'msg', '<m@x>', 'running') returning id`,
        [ids.tenant, ids.target, ids.user],
      )
    ).rows[0]?.id ?? '';
});
afterAll(async () => {
  await emulators?.close();
  await database?.drop();
});

/** A new attempt takes the transfer over, as the worker does when it claims it. */
async function newAttempt(): Promise<TransferProgress> {
  const attemptId = randomUUID();
  await database.db.query('update transfers set attempt_id = $2 where id = $1', [ids.transfer, attemptId]);
  return createTransferProgressStore(
    database.db,
    { tenantId: ids.tenant, transferId: ids.transfer, attemptId },
    new Map([
      ['message', 0],
      ['attachment:1', 1],
    ]),
  );
}

describe('a Jira transfer whose worker dies after the create, on the real progress store', () => {
  it('leaves exactly one issue, with each file once, and lists only the files', async () => {
    const settings = jiraConnector.validateSettings({ siteUrl: emulators.jira.siteUrl, projectKey: 'MAIL' });
    const context = restContext({ email: anna.emailAddress, apiToken: anna.apiToken });
    const subject = `Crash ${randomUUID()}`;
    const mail = () =>
      mailOf(subject, 'text', [
        part('message', 'message.eml', Buffer.from('mime')),
        part('attachment:1', 'a.pdf', Buffer.from('pdf')),
      ]);

    // The first attempt dies after Jira created the issue, before recording it.
    const first = await newAttempt();
    const dying: TransferProgress = {
      ...first,
      async done(key, name, size) {
        if (key === RECORD_PART_KEY) throw new Error('worker died');
        return first.done(key, name, size);
      },
    };
    await expect(jiraConnector.transferMail(context, settings, mail(), dying)).rejects.toThrow(/worker died/);
    expect(emulators.jira.store.issues.filter((issue) => issue.summary === subject)).toHaveLength(1);

    // The retry runs as a new attempt; the old one can no longer write.
    const second = await newAttempt();
    await expect(first.done(RECORD_PART_KEY, 'X', 0)).rejects.toMatchObject({ code: 'attempt_superseded' });
    const result = await jiraConnector.transferMail(context, settings, mail(), second);

    const issues = emulators.jira.store.issues.filter((issue) => issue.summary === subject);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.attachments.map((file) => file.filename)).toEqual([
      `2026-11-09 1020 ${subject}.eml`,
      'a.pdf',
    ]);
    expect(result.url).toBe(`${emulators.jira.siteUrl}/browse/${issues[0]?.key}`);
    const recorded = await database.db.query<{ part_key: string; name: string; done: boolean }>(
      'select part_key, name, done from transfer_files where transfer_id = $1 order by part_key',
      [ids.transfer],
    );
    expect(recorded.rows).toEqual([
      { part_key: 'attachment:1', name: 'a.pdf', done: true },
      { part_key: 'message', name: `2026-11-09 1020 ${subject}.eml`, done: true },
      { part_key: RECORD_PART_KEY, name: issues[0]?.key, done: true },
    ]);
    const transfer = await withTenant(database.db, ids.tenant, (tx) =>
      getTransfer(tx, ids.tenant, ids.transfer, ids.user),
    );
    expect(transfer?.files.map((file) => file.name)).toEqual([`2026-11-09 1020 ${subject}.eml`, 'a.pdf']);
  });
});

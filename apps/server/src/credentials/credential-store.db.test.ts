import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { CredentialKeyring } from './credential-keyring.js';
import { readCredential, storeCredential } from './credential-store.js';

let database: TestDatabase;
const owner = { tenantId: '', userId: '', targetId: '' };

beforeAll(async () => {
  database = await createTestDatabase();
  const tenant = await database.db.query<{ id: string }>(
    `insert into tenants (microsoft_tenant_id, name) values (gen_random_uuid(), 'T') returning id`,
  );
  owner.tenantId = tenant.rows[0]?.id ?? '';
  const user = await database.db.query<{ id: string }>(
    `insert into users (tenant_id, entra_object_id, email, display_name) values ($1, gen_random_uuid(), 'u@x', 'U') returning id`,
    [owner.tenantId],
  );
  owner.userId = user.rows[0]?.id ?? '';
  const target = await database.db.query<{ id: string }>(
    `insert into targets (tenant_id, connector_type, title_en, title_de) values ($1, 'sharepoint', 'T', 'T') returning id`,
    [owner.tenantId],
  );
  owner.targetId = target.rows[0]?.id ?? '';
});
afterAll(async () => {
  await database.drop();
});

describe('the credentials store', () => {
  it('keeps only the sealed value, re-seals with the current key on use and records the use', async () => {
    const oldKey = randomBytes(32);
    const old = new CredentialKeyring(oldKey);
    await withTenant(database.db, owner.tenantId, (tx) => storeCredential(tx, old, owner, 'pa55word'));
    const raw = await database.db.query<{ key_id: string; sealed: Uint8Array }>(
      'select key_id, sealed from credentials',
    );
    expect(Buffer.from(raw.rows[0]?.sealed ?? []).toString('utf8')).not.toContain('pa55word');
    expect(raw.rows[0]?.key_id).toBe(old.currentKeyId);

    const rotated = new CredentialKeyring(randomBytes(32), [oldKey]);
    const usedAt = new Date('2026-11-30T10:00:00Z');
    const secret = await withTenant(database.db, owner.tenantId, (tx) =>
      readCredential(tx, rotated, owner, usedAt),
    );
    expect(secret).toBe('pa55word');
    const after = await database.db.query<{ key_id: string; last_used_at: Date }>(
      'select key_id, last_used_at from credentials',
    );
    expect(after.rows[0]?.key_id).toBe(rotated.currentKeyId);
    expect(after.rows[0]?.last_used_at.toISOString()).toBe(usedAt.toISOString());
    // The old key can go now.
    const newOnly = new CredentialKeyring(randomBytes(32));
    await expect(
      withTenant(database.db, owner.tenantId, (tx) => readCredential(tx, newOnly, owner, usedAt)),
    ).rejects.toMatchObject({ code: 'credentials_key_unknown' });
  });

  it('refuses a ciphertext altered in the database', async () => {
    const keyring = new CredentialKeyring(randomBytes(32));
    await withTenant(database.db, owner.tenantId, (tx) => storeCredential(tx, keyring, owner, 'x'));
    await database.db.query('update credentials set sealed = set_byte(sealed, 13, get_byte(sealed, 13) # 1)');
    await expect(
      withTenant(database.db, owner.tenantId, (tx) => readCredential(tx, keyring, owner, new Date())),
    ).rejects.toMatchObject({ code: 'credentials_tampered' });
  });
});

import type { TransferProgress } from '../connectors/connector.js';
import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

/** Thrown when a newer attempt took the transfer over (e.g. after this worker was presumed dead). */
export const ATTEMPT_SUPERSEDED = 'attempt_superseded';

/** Live progress is written at most this often (bytes), besides at the end of every part. */
const PROGRESS_STEP_BYTES = 1024 * 1024;

/**
 * The files of one transfer in `transfer_files`, written only by the attempt that owns the transfer,
 * so a worker that was presumed dead and wakes up again cannot interfere with the one that took over.
 */
export function createTransferProgressStore(
  db: Database,
  ids: { tenantId: string; transferId: string; attemptId: string },
  positions: Map<string, number>,
  sizes: { attachments: number } = { attachments: 0 },
): TransferProgress & { checkCancelled(): Promise<void> } {
  const { tenantId, transferId, attemptId } = ids;
  // Bytes of finished parts of this attempt, and where the part being written stands.
  let finished = 0;
  let lastWritten = 0;
  let total = sizes.attachments;
  let countedMessage = false;

  async function writeProgress(done: number): Promise<void> {
    const result = await withTenant(db, tenantId, (tx) =>
      tx.query<{ cancel_requested: boolean }>(
        `update transfers set bytes_done = $4, bytes_total = $5
          where tenant_id = $1 and id = $2 and attempt_id = $3 returning cancel_requested`,
        [tenantId, transferId, attemptId, done, total],
      ),
    );
    const row = result.rows[0];
    if (!row) throw new AppError(409, ATTEMPT_SUPERSEDED, 'Another attempt has taken over this transfer.');
    if (row.cancel_requested) throw new AppError(409, 'transfer_cancelled', 'The transfer was cancelled.');
  }

  async function assertOwner(tx: Parameters<Parameters<typeof withTenant>[2]>[0]): Promise<void> {
    const owner = await tx.query(
      'select 1 from transfers where tenant_id = $1 and id = $2 and attempt_id = $3 for update',
      [tenantId, transferId, attemptId],
    );
    if (owner.rowCount === 0) {
      throw new AppError(409, ATTEMPT_SUPERSEDED, 'Another attempt has taken over this transfer.');
    }
  }

  return {
    async checkCancelled() {
      await writeProgress(finished);
    },
    async bytes(key, written) {
      const part = (await this.recorded(key)) ?? { size: written, done: false };
      if (written >= part.size) {
        finished += part.size;
        lastWritten = 0;
        await writeProgress(finished);
        return;
      }
      if (written - lastWritten < PROGRESS_STEP_BYTES) return;
      lastWritten = written;
      await writeProgress(finished + written);
    },
    async recorded(key) {
      const result = await withTenant(db, tenantId, (tx) =>
        tx.query<{ name: string; size: number; done: boolean; location: string | null }>(
          'select name, size, done, location from transfer_files where tenant_id = $1 and transfer_id = $2 and part_key = $3',
          [tenantId, transferId, key],
        ),
      );
      const row = result.rows[0];
      return row
        ? { name: row.name, size: Number(row.size), done: row.done, location: row.location ?? undefined }
        : undefined;
    },
    async reserve(key, name, size) {
      // The .eml's size is known only once Graph starts sending it.
      if (key === 'message' && lastWritten === 0 && !countedMessage) {
        countedMessage = true;
        total += size;
      }
      await withTenant(db, tenantId, async (tx) => {
        await assertOwner(tx);
        await tx.query(
          `insert into transfer_files (transfer_id, tenant_id, part_key, position, name, size, done)
           values ($1, $2, $3, $4, $5, $6, false)
           on conflict (tenant_id, transfer_id, part_key) do update set name = excluded.name, size = excluded.size, done = false`,
          [transferId, tenantId, key, positions.get(key) ?? 0, name, size],
        );
      });
    },
    async done(key, name, size, location) {
      await withTenant(db, tenantId, async (tx) => {
        await assertOwner(tx);
        await tx.query(
          `update transfer_files set name = $4, size = $5, done = true, location = $6
            where tenant_id = $1 and transfer_id = $2 and part_key = $3`,
          [tenantId, transferId, key, name, size, location ?? null],
        );
      });
    },
  };
}

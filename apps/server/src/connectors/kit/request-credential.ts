import type { AppContext } from '../../app-context.js';
import type { Principal } from '../../auth/authenticate.js';
import { withTenant } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { TargetRow } from '../../targets/targets.rows.js';
import { loadConnectorCredential } from './connector-credentials.js';

/**
 * The credential a connector uses when the add-in asks the target's system something on the user's
 * behalf (searching records): the user's own for `credentialKind: 'user'`, else none. A missing one
 * is 409 `target_account_not_connected`, which the add-in answers with the connect form.
 */
export async function credentialForRequest(
  context: Pick<AppContext, 'db' | 'credentials' | 'now'>,
  principal: Principal,
  target: TargetRow,
  kind: 'none' | 'tenant' | 'user',
): Promise<Record<string, string> | undefined> {
  if (kind !== 'user') return undefined;
  const owner = { tenantId: principal.tenantId, userId: principal.userId, targetId: target.id };
  const stored = await withTenant(context.db, principal.tenantId, (tx) =>
    loadConnectorCredential(tx, context.credentials, owner, context.now()),
  );
  if (!stored) {
    throw new AppError(409, 'target_account_not_connected', 'Connect your account for this target first.', {
      extra: { targetId: target.id },
    });
  }
  return stored;
}

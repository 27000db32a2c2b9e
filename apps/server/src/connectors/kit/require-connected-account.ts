import type { Principal } from '../../auth/authenticate.js';
import { type Database, withTenant } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { TargetRow } from '../../targets/targets.rows.js';
import { connectorFor } from '../connector-registry.js';
import { hasConnectorCredential } from './connector-credentials.js';

/**
 * Before a transfer to a target whose system needs the user's own account: 409
 * `target_account_not_connected` when none is stored, so the add-in shows "Connect your … account"
 * instead of queuing a transfer bound to fail.
 */
export async function requireConnectedAccount(db: Database, principal: Principal, target: TargetRow) {
  if (connectorFor(target.connector_type).credentialKind !== 'user') return;
  const owner = { tenantId: principal.tenantId, userId: principal.userId, targetId: target.id };
  const connected = await withTenant(db, principal.tenantId, (tx) => hasConnectorCredential(tx, owner));
  if (!connected) {
    throw new AppError(409, 'target_account_not_connected', 'Connect your account for this target first.', {
      extra: { targetId: target.id },
    });
  }
}

import type { Config } from '../config/config.js';
import type { IdentityClaims } from './oidc-client.js';

/**
 * Whether a signed-in identity may use the operator console. Only immutable ids decide: the tenant
 * (`tid`) must be the operator's, and the user's object id (`oid`) must be listed or the user must hold
 * the configured app role in that tenant. Names and e-mail addresses never do: `preferred_username`
 * can be changed or handed to someone else (docs/microsoft-365.md §3.2, decision 014). The tenant check
 * comes first on purpose: any customer tenant can assign our app's roles to its own users.
 */
export function isOperator(
  identity: Pick<IdentityClaims, 'tenantId' | 'objectId' | 'roles'>,
  operator: Config['operator'],
): boolean {
  if (operator.tenantId === null || identity.tenantId !== operator.tenantId.toLowerCase()) return false;
  // Neither list nor role configured: allowed only in demo mode (config refuses it otherwise), where
  // every user of the emulator's operator tenant is an operator.
  if (operator.objectIds === null && operator.appRole === null) return true;
  if (operator.objectIds?.includes(identity.objectId.toLowerCase())) return true;
  return operator.appRole !== null && identity.roles.includes(operator.appRole);
}

/**
 * The transfer API's request and response shapes live in `@mailissa/contracts` (transfer.ts); what
 * stays here is the server's own.
 */

/** What the queue carries: ids only, never mail content or tokens. */
export interface TransferJobData {
  tenantId: string;
  transferId: string;
}

import { createHash } from 'node:crypto';

/**
 * A GUID derived from a name, so seeded object ids are the same on every start and on every machine
 * without a table of literals to keep in sync. Shaped like a version-4 GUID as Entra's ids are.
 */
export function deterministicGuid(name: string): string {
  const hex = createHash('sha256').update(`mailissa-emulator:${name}`).digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Deterministic bytes for ids that are not GUIDs (message ids, drive item ids). */
export function deterministicBytes(name: string, length: number): Buffer {
  const chunks: Buffer[] = [];
  let counter = 0;
  while (chunks.length * 32 < length) {
    chunks.push(createHash('sha256').update(`${name}#${counter}`).digest());
    counter += 1;
  }
  return Buffer.concat(chunks).subarray(0, length);
}

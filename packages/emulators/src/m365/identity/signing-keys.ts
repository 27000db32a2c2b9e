import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { z } from 'zod';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface EmulatorSigningKeys {
  /** The key that signs new tokens. */
  current: { kid: string; privateKey: SigningKey };
  /** Public keys as published in every JWKS document. */
  publicJwks: JWK[];
  publicKeyFor(kid: string): Promise<SigningKey | undefined>;
}

const storedKeysSchema = z.object({
  keys: z
    .array(
      z.looseObject({ kid: z.string(), kty: z.literal('RSA'), n: z.string(), e: z.string(), d: z.string() }),
    )
    .min(1),
});

const KEY_COUNT = 2;

function signingKeysFile(dataDir: string): string {
  return path.join(dataDir, 'emulator', 'signing-keys.json');
}

async function newStoredKeys(): Promise<z.infer<typeof storedKeysSchema>> {
  const keys = [];
  for (let i = 0; i < KEY_COUNT; i += 1) keys.push(await newKey());
  return storedKeysSchema.parse({ keys });
}

async function writeStoredKeys(dataDir: string, stored: z.infer<typeof storedKeysSchema>): Promise<void> {
  const file = signingKeysFile(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  // Written to a temporary name first so a crash never leaves half a key file behind.
  await writeFile(`${file}.tmp`, JSON.stringify(stored, null, 2), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/** Signing keys as a data directory keeps them, made once and given to many (placeSigningKeys). */
export interface PortableSigningKeys {
  readonly stored: z.infer<typeof storedKeysSchema>;
}

/** New signing keys, not yet in any data directory. */
export async function generateSigningKeys(): Promise<PortableSigningKeys> {
  return { stored: await newStoredKeys() };
}

/**
 * Puts signing keys into a fresh data directory before the emulator starts there, as if it had made
 * them itself on an earlier start. For tests, which start an emulator on a fresh data directory per
 * file: two RSA key generations each would cost them a quarter of a second of CPU every time.
 */
export async function placeSigningKeys(dataDir: string, keys: PortableSigningKeys): Promise<void> {
  await writeStoredKeys(dataDir, keys.stored);
}

async function newKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk, 'sha256');
  return jwk;
}

/**
 * The emulator's RSA signing keys: generated once and kept in `${dataDir}/emulator/signing-keys.json`
 * so tokens issued before a restart stay valid after it. Entra publishes several keys and signs with
 * one, so do we: a second key in the JWKS makes clients that ignore `kid` fail here, not in production.
 */
export async function loadSigningKeys(dataDir: string): Promise<EmulatorSigningKeys> {
  const file = signingKeysFile(dataDir);
  let stored: z.infer<typeof storedKeysSchema>;
  try {
    stored = storedKeysSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    stored = await newStoredKeys();
    await writeStoredKeys(dataDir, stored);
  }
  const privateJwks = stored.keys as JWK[];
  const publicJwks = privateJwks.map((jwk) => ({
    kty: 'RSA',
    use: 'sig',
    kid: jwk.kid,
    n: jwk.n,
    e: jwk.e,
  }));
  const first = privateJwks[0];
  if (!first?.kid) throw new Error('emulator signing keys: no key');
  const privateKey = (await importJWK(first, 'RS256')) as SigningKey;
  const publicKeys = new Map<string, SigningKey>();
  for (const jwk of publicJwks) {
    publicKeys.set(jwk.kid ?? '', (await importJWK(jwk, 'RS256')) as SigningKey);
  }
  return {
    current: { kid: first.kid, privateKey },
    publicJwks,
    async publicKeyFor(kid) {
      return publicKeys.get(kid);
    },
  };
}

import { readFile } from 'node:fs/promises';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';

export interface TlsOptions {
  cert: Buffer;
  key: Buffer;
  /** Browsers and proxies speak HTTP/1.1 to us; keep-alive like the plain server. */
  minVersion: 'TLSv1.2';
}

/** Reads TLS_CERT_FILE / TLS_KEY_FILE (PEM) when the server terminates TLS itself; null otherwise. */
export async function loadTlsOptions(config: Config): Promise<TlsOptions | null> {
  if (!config.tls) return null;
  try {
    const [cert, key] = await Promise.all([readFile(config.tls.certFile), readFile(config.tls.keyFile)]);
    return { cert, key, minVersion: 'TLSv1.2' };
  } catch (error) {
    throw new AppError(500, 'tls_files_unreadable', 'The TLS certificate or key cannot be read.', {
      detail: `TLS_CERT_FILE=${config.tls.certFile}, TLS_KEY_FILE=${config.tls.keyFile}`,
      cause: error,
    });
  }
}

import { createServer } from 'node:net';

/** Ports below Linux's ephemeral range (32768–60999 by default). */
const FIRST_PORT = 20_000;
const PORTS = 12_000;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * A free loopback port for a server that must know its address before it listens (its public URL is
 * part of its configuration). Chosen below the ephemeral range that outgoing connections draw from —
 * browsers, HTTP clients, database drivers — where a port the kernel handed out as free can be taken
 * in the seconds a server needs to start. A port another test listens on is skipped by the probe.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = FIRST_PORT + Math.floor(Math.random() * PORTS);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free loopback port between ${FIRST_PORT} and ${FIRST_PORT + PORTS}`);
}

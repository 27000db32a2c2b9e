import { createServer, type Server } from 'node:net';

/** Ports below Linux's ephemeral range (32768–60999 by default). */
const FIRST_PORT = 20_000;
const PORTS = 12_000;

/** Listens on `port` and keeps listening, or resolves null when the port is taken. */
function listenOn(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    // Nothing is served while the port is held: a connection is reset at once, so a client fails as
    // on a refused one (a plainly closed socket leaves Node's fetch waiting).
    const probe = createServer((socket) => socket.resetAndDestroy());
    probe.once('error', () => resolve(null));
    probe.listen(port, '127.0.0.1', () => resolve(probe));
  });
}

/** A free loopback port held by a listener of this process until `release()`. */
export interface ReservedPort {
  port: number;
  /** Stops holding the port: call it right before the server that needs the port listens. */
  release(): Promise<void>;
}

/**
 * A free loopback port for a server that must know its address before it listens (its public URL is
 * part of its configuration). Chosen below the ephemeral range that outgoing connections draw from —
 * browsers, HTTP clients, database drivers — where a port the kernel handed out as free can be taken
 * in the seconds a server needs to start. A port another test listens on, or holds reserved, is
 * skipped. Held until `release()`: a server that seeds its demo data for seconds before it listens
 * would otherwise leave the port looking free to a test in another worker process choosing one then.
 */
export async function reservePort(): Promise<ReservedPort> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = FIRST_PORT + Math.floor(Math.random() * PORTS);
    const holder = await listenOn(port);
    if (holder) {
      // A test that fails before it releases the port must not keep its process alive.
      holder.unref();
      return {
        port,
        release: () => new Promise<void>((resolve) => holder.close(() => resolve())),
      };
    }
  }
  throw new Error(`no free loopback port between ${FIRST_PORT} and ${FIRST_PORT + PORTS}`);
}

/** A free loopback port, not held: for a server that listens at once (see reservePort otherwise). */
export async function freePort(): Promise<number> {
  const reserved = await reservePort();
  await reserved.release();
  return reserved.port;
}

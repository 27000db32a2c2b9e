import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { reservePort } from './free-port.js';

function listenError(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(null)));
  });
}

describe('a reserved port', () => {
  it('cannot be taken by another server until it is released, then can', async () => {
    const reserved = await reservePort();
    // What a test in another worker choosing a port meanwhile would meet: the port is in use.
    expect(await listenError(reserved.port)).toBe('EADDRINUSE');
    // Someone connecting before the server listens is turned away, not left waiting.
    const refused = await fetch(`http://127.0.0.1:${reserved.port}/`).then(
      () => 'answered',
      () => 'failed',
    );
    expect(refused).toBe('failed');
    await reserved.release();
    expect(await listenError(reserved.port)).toBeNull();
  });
});

import type { Server, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';

/** Records `written <label>` in `events` when the answer is handed to the socket (its `end`). */
export function recordWhenWritten(response: ServerResponse, label: string, events: string[]): void {
  const end = response.end.bind(response);
  response.end = ((...args: Parameters<typeof end>) => {
    events.push(`written ${label}`);
    return end(...args);
  }) as typeof response.end;
}

/**
 * Sends one GET per path, each on a connection of its own, once `server` (listening in this very
 * process) has accepted them all, written in one synchronous loop: the server then finds all the
 * requests readable in one turn of its event loop, as a server under load does. Resolves with each
 * connection's whole raw answer, in the order of `paths`.
 */
export async function requestsReadTogether(server: Server, paths: readonly string[]): Promise<string[]> {
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the server does not listen on a port');
  let accepted = 0;
  const allAccepted = new Promise<void>((resolve) => {
    const count = () => {
      accepted += 1;
      if (accepted < paths.length) return;
      server.off('connection', count);
      resolve();
    };
    server.on('connection', count);
  });
  const sockets = await Promise.all(
    paths.map(
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(address.port, '127.0.0.1');
          socket.once('connect', () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
  await allAccepted;
  const answers = sockets.map(
    (socket) =>
      new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.once('error', reject);
        socket.once('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      }),
  );
  sockets.forEach((socket, index) => {
    socket.write(`GET ${paths[index]} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
  return Promise.all(answers);
}

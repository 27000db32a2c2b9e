import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TeamEventHub } from './team-events.js';

/** A stream ends after this long and the client reconnects (tokens expire; proxies drop idle streams). */
const STREAM_LIFETIME_MS = 5 * 60_000;
/** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Turns the reply into a server-sent event stream of one team's changes (decision 051). Each event is
 * written at once; the connection's end (client gone, server closing) unsubscribes.
 */
export function streamTeamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  hub: TeamEventHub,
  teamId: string,
  open: Set<FastifyReply['raw']>,
): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // nginx would otherwise buffer the stream (docs/architecture.md, reverse proxies).
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  raw.write('retry: 1000\n: connected\n\n');
  const unsubscribe = hub.subscribe(teamId, (event) => {
    raw.write(`event: team\ndata: ${JSON.stringify(event)}\n\n`);
  });
  const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  const lifetime = setTimeout(() => raw.end(), STREAM_LIFETIME_MS);
  keepAlive.unref();
  lifetime.unref();
  const stop = () => {
    clearInterval(keepAlive);
    clearTimeout(lifetime);
    unsubscribe();
  };
  raw.on('close', stop);
  request.raw.on('close', stop);
  // Kept so the server's close can end open streams instead of waiting for clients to leave.
  open.add(raw);
  raw.on('close', () => open.delete(raw));
}

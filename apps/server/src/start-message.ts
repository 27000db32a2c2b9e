import type { Config } from './config/config.js';

/** The one start line: where to open the product, and in demo mode who can reach it. */
export function startMessage(config: Config): string {
  const listening = `listening on ${config.host}:${config.port}`;
  if (!config.demoMode) return `Mailissa is running at ${config.publicBaseUrl} (${listening})`;
  const reach = isLoopbackHost(config.host)
    ? 'loopback only, this machine; set HOST=0.0.0.0 to let other machines in'
    : 'reachable from other machines, and demo sign-in needs no password';
  return `Mailissa is running at ${config.publicBaseUrl} (demo mode: Microsoft 365 emulator at /emulator; ${listening}, ${reach})`;
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

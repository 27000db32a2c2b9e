import type { CaughtMail } from './caught-mail.js';

/** Reads the demo mail catcher's JSON API; for tests and scripts driving a demo server. */
export async function fetchCaughtMail(baseUrl: string, to?: string): Promise<CaughtMail[]> {
  const url = new URL('/emulator/mail/api/messages', baseUrl);
  if (to) url.searchParams.set('to', to);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`mail catcher answered ${response.status}`);
  const body = (await response.json()) as { messages: CaughtMail[] };
  return body.messages;
}

/** Polls the catcher until a mail to `to` (matching `match`, if given) arrives. */
export async function waitForCaughtMail(
  baseUrl: string,
  to: string,
  options: { match?: (mail: CaughtMail) => boolean; timeoutMs?: number } = {},
): Promise<CaughtMail> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const found = (await fetchCaughtMail(baseUrl, to)).find((mail) => options.match?.(mail) ?? true);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} arrived in the catcher`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The value of a hidden input in a server-rendered page. */
export function hiddenField(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match?.[1]) throw new Error(`no hidden field ${name} on the page`);
  return match[1].replaceAll('&amp;', '&');
}

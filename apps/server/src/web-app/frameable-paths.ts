/**
 * Path prefixes whose pages Office hosts (Outlook on the web, new Outlook, desktop) load in a frame.
 * The global security headers must not send `frame-ancestors 'none'` / `X-Frame-Options: DENY` for
 * these; everything else may forbid framing. The task pane runs inside Outlook's own page, so
 * `frame-ancestors` there has to allow the Office hosts (http/security-headers.ts lists them) and,
 * for the Outlook emulator in demo mode, 'self'.
 */
export const FRAMEABLE_PATH_PREFIXES: readonly string[] = ['/addin/'];

/** Whether a request path (without query) is served to an Office host's frame. */
export function isFrameablePath(path: string): boolean {
  const clean = path.split('?')[0] ?? path;
  return clean === '/addin' || FRAMEABLE_PATH_PREFIXES.some((prefix) => clean.startsWith(prefix));
}

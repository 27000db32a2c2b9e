import Bowser from 'bowser';

export interface BrowserFamily {
  browser: string | null;
  os: string | null;
}

// User-Agent strings repeat a lot; parsing each once keeps logging cheap.
const cache = new Map<string, BrowserFamily>();
const CACHE_LIMIT = 1000;

/** Browser family and OS family only (`Chrome`, `Windows`) — never versions or the full string. */
export function browserFamily(userAgent: string | undefined): BrowserFamily {
  if (!userAgent) return { browser: null, os: null };
  const key = userAgent.slice(0, 512);
  const hit = cache.get(key);
  if (hit) return hit;
  let family: BrowserFamily;
  try {
    const parser = Bowser.getParser(key);
    family = {
      browser: parser.getBrowserName().slice(0, 64) || null,
      os: parser.getOSName().slice(0, 64) || null,
    };
  } catch {
    family = { browser: null, os: null };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, family);
  return family;
}

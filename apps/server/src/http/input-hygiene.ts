import { hasControlCharacters } from '@mailissa/contracts';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';

/** Deeper than any request we take; a body nested further is refused rather than walked. */
const MAX_DEPTH = 32;

/**
 * The path of the first string (or key) in `value` that holds a control character other than tab
 * and line breaks, `''` for the value itself; null when there is none.
 */
export function controlCharacterPath(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return hasControlCharacters(value, { multiline: true }) ? '' : null;
  if (value === null || typeof value !== 'object') return null;
  // Only parsed JSON, forms and queries are walked: a stream or a Buffer (uploads) holds no text fields.
  if (!Array.isArray(value) && !isPlainObject(value)) return null;
  if (depth > MAX_DEPTH) return '';
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, item] of entries) {
    const name = String(key);
    if (hasControlCharacters(name, { multiline: false })) return name.replace(/[^\x20-\x7e]/g, '?');
    const inner = controlCharacterPath(item, depth + 1);
    if (inner !== null) return inner === '' ? name : `${name}.${inner}`;
  }
  return null;
}

/** A query or path parameters as a plain object: they only ever hold strings and arrays of them. */
function asPlainRecord(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value } : value;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The net under the schemas: NUL and the other control characters in a query, path parameter or
 * body string are refused with 400 (naming the field) before any route's validation, whatever a
 * schema forgot — NUL cannot even be stored in PostgreSQL text and would otherwise end in a 500.
 * Tab and line breaks pass here (multi-line texts, Entra's `error_description`); the schemas of
 * single-line fields refuse them (`safeText` in @mailissa/contracts).
 */
export function installInputHygiene(app: FastifyInstance): void {
  // A callback hook: an async one costs a promise and a microtask turn on every request.
  app.addHook('preValidation', (request, _reply, done) => {
    // The demo emulators stand in for Microsoft's services and answer bad input as those do.
    if (request.url.startsWith('/emulator/')) return done();
    for (const [part, value] of [
      // Fastify parses the query into an object whose prototype is neither Object's nor null (a
      // bare constructor's), which the walk would take for a stream and skip: copied into a plain one.
      ['query', asPlainRecord(request.query)],
      ['params', asPlainRecord(request.params)],
      ['body', request.body],
    ] as const) {
      const path = controlCharacterPath(value);
      if (path === null) continue;
      return done(
        new AppError(
          400,
          'invalid_request',
          `${path === '' ? part : `${part}.${path}`}: must not contain control characters.`,
        ),
      );
    }
    done();
  });
}

import { GraphError } from './graph-errors.js';

/** Parses `$select`, rejecting properties the type does not have, as Graph does. */
export function parseSelect(
  select: string | undefined,
  properties: readonly string[],
  typeName: string,
): string[] | undefined {
  if (select === undefined || select.trim() === '') return undefined;
  const byLower = new Map(properties.map((p) => [p.toLowerCase(), p]));
  return select.split(',').map((raw) => {
    const name = raw.trim();
    const canonical = byLower.get(name.toLowerCase());
    if (!canonical) {
      throw new GraphError(
        400,
        'BadRequest',
        `Could not find a property named '${name}' on type '${typeName}'.`,
      );
    }
    return canonical;
  });
}

/** Keeps only the selected properties (plus the ones Graph always returns, such as Outlook's `id`). */
export function applySelect<T extends Record<string, unknown>>(
  entity: T,
  select: string[] | undefined,
  always: readonly string[] = [],
): Record<string, unknown> {
  if (!select) return entity;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    if (key.startsWith('@odata.') || always.includes(key) || select.includes(key)) out[key] = value;
  }
  return out;
}

/** `$skiptoken` values are opaque to clients; here they carry the offset of the next page. */
export function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeSkipToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      parsed &&
      typeof parsed === 'object' &&
      'o' in parsed &&
      typeof parsed.o === 'number' &&
      parsed.o >= 0
    ) {
      return parsed.o;
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphError(
    400,
    'Request_BadRequest',
    'The specified page token value has expired or is invalid.',
  );
}

export function parseTop(value: string | undefined, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const top = Number(value);
  if (!Number.isInteger(top) || top < 1 || top > max) {
    throw new GraphError(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${value}'. Must be between 1 and ${max} inclusive.`,
    );
  }
  return top;
}

/**
 * One page of a collection with an absolute `@odata.nextLink` that repeats the query with the next
 * offset, as Graph's links do (clients follow them verbatim).
 */
export function pageOf<T>(input: {
  items: T[];
  offset: number;
  top: number;
  /** Absolute URL of the collection, without query. */
  url: string;
  query: Record<string, string | undefined>;
  pageParameter: '$skiptoken' | '$skip';
}): { value: T[]; nextLink: string | undefined } {
  const value = input.items.slice(input.offset, input.offset + input.top);
  const nextOffset = input.offset + value.length;
  if (nextOffset >= input.items.length) return { value, nextLink: undefined };
  const params = new URLSearchParams();
  for (const [key, v] of Object.entries(input.query)) {
    if (v !== undefined && key !== '$skiptoken' && key !== '$skip') params.set(key, v);
  }
  params.set('$top', String(input.top));
  params.set(
    input.pageParameter,
    input.pageParameter === '$skip' ? String(nextOffset) : encodeSkipToken(nextOffset),
  );
  // Graph leaves `$` unescaped in its links; URLSearchParams would write %24.
  return { value, nextLink: `${input.url}?${params.toString().replaceAll('%24', '$')}` };
}

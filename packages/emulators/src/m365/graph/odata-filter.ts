import { GraphError } from './graph-errors.js';

/**
 * A small OData `$filter` evaluator for the clauses Graph clients actually send here:
 * `prop eq 'v'` (also ne/gt/ge/lt/le), `startswith(prop,'v')`, `endswith`, `contains`,
 * `prop in ('a','b')`, `not`, `and`, `or` and parentheses. Property paths may use `/`
 * (e.g. `from/emailAddress/address`).
 */

type Literal = string | number | boolean | null;
type Node =
  | { kind: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; property: string; value: Literal }
  | { kind: 'function'; name: 'startswith' | 'endswith' | 'contains'; property: string; value: string }
  | { kind: 'in'; property: string; values: Literal[] }
  | { kind: 'not'; operand: Node }
  | { kind: 'and' | 'or'; left: Node; right: Node };

type Token =
  | { type: 'string'; value: string }
  | { type: 'word'; value: string }
  | { type: 'punct'; value: '(' | ')' | ',' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: 'punct', value: ch });
      i += 1;
    } else if (ch === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw syntaxError('unterminated string literal');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ type: 'string', value });
    } else {
      const match = /^[A-Za-z0-9_./:+-]+/.exec(text.slice(i));
      if (!match) throw syntaxError(`unexpected character '${ch}'`);
      tokens.push({ type: 'word', value: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

function syntaxError(detail: string): GraphError {
  return new GraphError(400, 'BadRequest', `Invalid filter clause: ${detail}.`);
}

export interface FilterFeatures {
  /** Operators Graph only allows in advanced queries on directory objects (docs/microsoft-365.md §4.3). */
  advanced: string[];
  properties: string[];
}

export interface CompiledFilter {
  test(resolve: (property: string) => unknown): boolean;
  features: FilterFeatures;
}

export function compileFilter(
  text: string,
  allowedProperties: readonly string[],
  resourceName: string,
): CompiledFilter {
  const tokens = tokenize(text);
  let position = 0;
  const features: FilterFeatures = { advanced: [], properties: [] };
  const allowed = new Map(allowedProperties.map((p) => [p.toLowerCase(), p]));

  const peek = () => tokens[position];
  const next = () => {
    const token = tokens[position];
    if (!token) throw syntaxError('unexpected end of expression');
    position += 1;
    return token;
  };
  const expectPunct = (value: string) => {
    const token = next();
    if (token.type !== 'punct' || token.value !== value) throw syntaxError(`expected '${value}'`);
  };
  const isWord = (token: Token | undefined, word: string) =>
    token?.type === 'word' && token.value.toLowerCase() === word;
  const property = (name: string) => {
    const canonical = allowed.get(name.toLowerCase());
    if (!canonical) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${name}' of resource '${resourceName}'.`,
      );
    }
    features.properties.push(canonical);
    return canonical;
  };
  const literal = (): Literal => {
    const token = next();
    if (token.type === 'string') return token.value;
    if (token.type !== 'word') throw syntaxError('expected a literal');
    const lower = token.value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(token.value)) return Number(token.value);
    // DateTimeOffset literals are written without quotes.
    if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(token.value)) return token.value;
    throw syntaxError(`'${token.value}' is not a literal`);
  };

  const primary = (): Node => {
    const token = next();
    if (token.type === 'punct' && token.value === '(') {
      const inner = or();
      expectPunct(')');
      return inner;
    }
    if (token.type !== 'word') throw syntaxError('expected a property or function');
    const lower = token.value.toLowerCase();
    if (lower === 'not') {
      features.advanced.push('not');
      return { kind: 'not', operand: primary() };
    }
    if (
      (lower === 'startswith' || lower === 'endswith' || lower === 'contains') &&
      peek()?.type === 'punct'
    ) {
      if (lower === 'endswith') features.advanced.push('endsWith');
      expectPunct('(');
      const nameToken = next();
      if (nameToken.type !== 'word') throw syntaxError('expected a property name');
      const name = property(nameToken.value);
      expectPunct(',');
      const value = literal();
      expectPunct(')');
      if (typeof value !== 'string') throw syntaxError(`${lower} needs a string`);
      return { kind: 'function', name: lower, property: name, value };
    }
    const name = property(token.value);
    const opToken = next();
    if (opToken.type !== 'word') throw syntaxError('expected an operator');
    const op = opToken.value.toLowerCase();
    if (op === 'in') {
      expectPunct('(');
      const values: Literal[] = [literal()];
      while (peek()?.type === 'punct' && peek()?.value === ',') {
        next();
        values.push(literal());
      }
      expectPunct(')');
      return { kind: 'in', property: name, values };
    }
    if (op === 'eq' || op === 'ne' || op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') {
      if (op === 'ne') features.advanced.push('ne');
      return { kind: 'compare', op, property: name, value: literal() };
    }
    throw syntaxError(`unknown operator '${opToken.value}'`);
  };
  const and = (): Node => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  function or(): Node {
    let left = and();
    while (isWord(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }

  const root = or();
  if (position !== tokens.length) throw syntaxError('unexpected text after the expression');

  const compare = (actual: unknown, expected: Literal): number | undefined => {
    if (actual === undefined || actual === null || expected === null) {
      return actual === expected || (actual === undefined && expected === null) ? 0 : undefined;
    }
    if (typeof expected === 'string' && typeof actual === 'string') {
      const looksLikeDate = /^\d{4}-\d{2}-\d{2}T/.test(expected) && /^\d{4}-\d{2}-\d{2}T/.test(actual);
      if (looksLikeDate) return Date.parse(actual) - Date.parse(expected);
      return actual.toLowerCase().localeCompare(expected.toLowerCase());
    }
    if (typeof expected === 'number' && typeof actual === 'number') return actual - expected;
    if (typeof expected === 'boolean' && typeof actual === 'boolean') return actual === expected ? 0 : 1;
    return undefined;
  };

  const evaluate = (node: Node, resolve: (property: string) => unknown): boolean => {
    switch (node.kind) {
      case 'and':
        return evaluate(node.left, resolve) && evaluate(node.right, resolve);
      case 'or':
        return evaluate(node.left, resolve) || evaluate(node.right, resolve);
      case 'not':
        return !evaluate(node.operand, resolve);
      case 'in':
        return node.values.some((value) => compare(resolve(node.property), value) === 0);
      case 'function': {
        const actual = resolve(node.property);
        const values = Array.isArray(actual) ? actual : [actual];
        return values.some((value) => {
          if (typeof value !== 'string') return false;
          const a = value.toLowerCase();
          const b = node.value.toLowerCase();
          return node.name === 'startswith'
            ? a.startsWith(b)
            : node.name === 'endswith'
              ? a.endsWith(b)
              : a.includes(b);
        });
      }
      case 'compare': {
        const result = compare(resolve(node.property), node.value);
        if (result === undefined) return node.op === 'ne';
        switch (node.op) {
          case 'eq':
            return result === 0;
          case 'ne':
            return result !== 0;
          case 'gt':
            return result > 0;
          case 'ge':
            return result >= 0;
          case 'lt':
            return result < 0;
          case 'le':
            return result <= 0;
        }
      }
    }
    return false;
  };

  return { test: (resolve) => evaluate(root, resolve), features };
}

/** Resolves `a/b/c` in a Graph-shaped object. */
export function resolvePath(entity: Record<string, unknown>, path: string): unknown {
  let current: unknown = entity;
  for (const segment of path.split('/')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * Stripe's request bodies are `application/x-www-form-urlencoded` with bracketed keys for nesting
 * (`line_items[0][price_data][currency]=eur`, `expand[]=x`): this turns them back into objects and
 * arrays, as Stripe's API does.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
type Container = Record<string, FormValue> | FormValue[];

function keysOf(rawKey: string): string[] {
  const first = rawKey.indexOf('[');
  if (first < 0) return [rawKey];
  const keys = [rawKey.slice(0, first)];
  for (const match of rawKey.slice(first).matchAll(/\[([^\]]*)\]/g)) keys.push(match[1] ?? '');
  return keys;
}

export function decodeStripeForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const keys = keysOf(rawKey);
    let node: Container = root;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] ?? '';
      const last = index === keys.length - 1;
      const next = keys[index + 1] ?? '';
      const fresh = (): Container => (next === '' || /^\d+$/.test(next) ? [] : {});
      if (Array.isArray(node)) {
        const position = key === '' ? node.length : Number(key);
        if (last) node[position] = value;
        else {
          node[position] ??= fresh();
          node = node[position] as Container;
        }
      } else if (last) node[key] = value;
      else {
        node[key] ??= fresh();
        node = node[key] as Container;
      }
    }
  }
  return root;
}

import { describe, expect, it } from 'vitest';
import { GraphError } from './graph-errors.js';
import { compileFilter, resolvePath } from './odata-filter.js';

const people = [
  {
    id: '1',
    displayName: 'Anna Berger',
    mail: 'anna@contoso.example',
    accountEnabled: true,
    received: '2026-11-02T08:00:00Z',
  },
  {
    id: '2',
    displayName: "Liam O'Neill",
    mail: 'liam@contoso.example',
    accountEnabled: false,
    received: '2026-11-20T08:00:00Z',
  },
  {
    id: '3',
    displayName: 'Lena Fischer',
    mail: null,
    accountEnabled: true,
    received: '2026-11-25T08:00:00Z',
  },
];
const properties = ['id', 'displayName', 'mail', 'accountEnabled', 'received', 'from/emailAddress/address'];

function ids(filter: string): string[] {
  const compiled = compileFilter(filter, properties, 'User');
  return people.filter((p) => compiled.test((property) => resolvePath(p, property))).map((p) => p.id);
}

describe('OData $filter', () => {
  it('evaluates comparisons, functions, in, not, and/or and parentheses', () => {
    expect(ids("mail eq 'ANNA@contoso.example'")).toEqual(['1']);
    expect(ids("startswith(displayName,'l')")).toEqual(['2', '3']);
    expect(ids("displayName eq 'Liam O''Neill'")).toEqual(['2']);
    expect(ids("id in ('1','3')")).toEqual(['1', '3']);
    expect(ids('accountEnabled eq true and received ge 2026-11-10T00:00:00Z')).toEqual(['3']);
    expect(ids("(id eq '1' or id eq '2') and not(accountEnabled eq false)")).toEqual(['1']);
    expect(ids('mail eq null')).toEqual(['3']);
  });

  it('flags the operators that need an advanced query', () => {
    expect(compileFilter("endswith(mail,'.example')", properties, 'User').features.advanced).toEqual([
      'endsWith',
    ]);
    expect(compileFilter("mail ne 'x'", properties, 'User').features.advanced).toEqual(['ne']);
  });

  it('rejects unknown properties and broken syntax with Graph errors', () => {
    expect(() => compileFilter("city eq 'Hamburg'", properties, 'User')).toThrow(GraphError);
    expect(() => compileFilter("mail eq 'open", properties, 'User')).toThrow(/unterminated/);
    expect(() => compileFilter("mail eq 'a' extra", properties, 'User')).toThrow(GraphError);
  });
});

/**
 * The part of JQL the stand-in understands: clauses joined by AND on `project`, `key`/`issue`,
 * `labels`, `summary` and `text`, with `=`, `!=` and `~`, and one ORDER BY. Anything else is
 * refused with Jira's own kind of message, so a client that sends more finds out here, not in
 * production.
 */
import type { JiraIssue } from './jira-store.js';

export class JqlError extends Error {}

export interface JqlClause {
  field: 'project' | 'key' | 'labels' | 'summary' | 'text';
  operator: '=' | '!=' | '~';
  value: string;
}

export interface JqlQuery {
  clauses: JqlClause[];
  order: { field: 'created' | 'updated' | 'key'; direction: 'asc' | 'desc' };
}

const FIELDS: Record<string, JqlClause['field']> = {
  project: 'project',
  key: 'key',
  issue: 'key',
  issuekey: 'key',
  labels: 'labels',
  summary: 'summary',
  text: 'text',
};

function tokenize(jql: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < jql.length) {
    const char = jql[i] ?? '';
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (char === '"' || char === "'") {
      let value = '';
      i++;
      while (i < jql.length && jql[i] !== char) {
        if (jql[i] === '\\' && i + 1 < jql.length) i++;
        value += jql[i];
        i++;
      }
      if (i >= jql.length)
        throw new JqlError('Error in the JQL Query: The quoted string has not been completed.');
      i++;
      tokens.push(`"${value}`);
      continue;
    }
    const operator = /^(!=|=|~)/.exec(jql.slice(i));
    if (operator) {
      tokens.push(operator[0]);
      i += operator[0].length;
      continue;
    }
    const word = /^[^\s"'=!~]+/.exec(jql.slice(i));
    if (!word)
      throw new JqlError(`Error in the JQL Query: The character '${char}' is a reserved JQL character.`);
    tokens.push(word[0]);
    i += word[0].length;
  }
  return tokens;
}

export function parseJql(jql: string): JqlQuery {
  const tokens = tokenize(jql);
  const clauses: JqlClause[] = [];
  let order: JqlQuery['order'] = { field: 'created', direction: 'desc' };
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] ?? '';
    if (token.toLowerCase() === 'order') {
      if ((tokens[i + 1] ?? '').toLowerCase() !== 'by')
        throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
      const field = (tokens[i + 2] ?? '').toLowerCase();
      if (field !== 'created' && field !== 'updated' && field !== 'key')
        throw new JqlError(`Error in the JQL Query: Field '${field}' does not support sorting here.`);
      const direction = (tokens[i + 3] ?? 'desc').toLowerCase();
      if (direction !== 'asc' && direction !== 'desc')
        throw new JqlError(`Error in the JQL Query: Expecting 'asc' or 'desc' but got '${direction}'.`);
      order = { field, direction };
      i += tokens[i + 3] ? 4 : 3;
      if (i < tokens.length) throw new JqlError('Error in the JQL Query: Nothing may follow ORDER BY.');
      break;
    }
    if (clauses.length > 0) {
      if (token.toLowerCase() !== 'and')
        throw new JqlError(`Error in the JQL Query: Expecting 'AND' or 'ORDER BY' but got '${token}'.`);
      i++;
    }
    const fieldName = (tokens[i] ?? '').toLowerCase();
    const field = FIELDS[fieldName];
    if (!field)
      throw new JqlError(
        `Field '${tokens[i] ?? ''}' does not exist or you do not have permission to view it.`,
      );
    const operator = tokens[i + 1];
    if (operator !== '=' && operator !== '!=' && operator !== '~')
      throw new JqlError(
        `Error in the JQL Query: Expecting operator but got '${operator ?? 'end of query'}'.`,
      );
    if ((field === 'summary' || field === 'text') !== (operator === '~'))
      throw new JqlError(`The operator '${operator}' is not supported by the '${fieldName}' field.`);
    const raw = tokens[i + 2];
    if (raw === undefined)
      throw new JqlError('Error in the JQL Query: Expecting a value at the end of the query.');
    clauses.push({ field, operator, value: raw.startsWith('"') ? raw.slice(1) : raw });
    i += 3;
  }
  return { clauses, order };
}

function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const record = node as { text?: unknown; content?: unknown };
  const own = typeof record.text === 'string' ? record.text : '';
  const children = Array.isArray(record.content) ? record.content.map(adfText).join(' ') : '';
  return `${own} ${children}`;
}

function contains(haystack: string, needle: string): boolean {
  const words = needle.replace(/\*/g, '').toLowerCase().split(/\s+/).filter(Boolean);
  const text = haystack.toLowerCase();
  return words.every((word) => text.includes(word));
}

export function matchesJql(issue: JiraIssue, query: JqlQuery): boolean {
  return query.clauses.every((clause) => {
    let matched: boolean;
    switch (clause.field) {
      case 'project':
        matched = issue.projectKey === clause.value.toUpperCase();
        break;
      case 'key':
        matched = issue.key === clause.value.toUpperCase() || issue.id === clause.value;
        break;
      case 'labels':
        matched = issue.labels.includes(clause.value);
        break;
      case 'summary':
        matched = contains(issue.summary, clause.value);
        break;
      case 'text':
        matched = contains(
          [issue.summary, adfText(issue.description), ...issue.comments.map((c) => adfText(c.body))].join(
            ' ',
          ),
          clause.value,
        );
        break;
    }
    return clause.operator === '!=' ? !matched : matched;
  });
}

export function compareBy(order: JqlQuery['order']): (a: JiraIssue, b: JiraIssue) => number {
  const sign = order.direction === 'asc' ? 1 : -1;
  return (a, b) => {
    if (order.field === 'key') return sign * (Number(a.id) - Number(b.id));
    const left = order.field === 'created' ? a.created : a.updated;
    const right = order.field === 'created' ? b.created : b.updated;
    return sign * (left.localeCompare(right) || Number(a.id) - Number(b.id));
  };
}

import { createHash } from 'node:crypto';
import { deterministicGuid } from '../seed/deterministic-id.js';
import type { DriveItemRecord } from './drive-store.js';
import { GraphError } from './graph-errors.js';

/** A document library's column as SharePoint defines it; `kind` picks Graph's type facet. */
export interface SeedColumn {
  name: string;
  displayName: string;
  kind: 'text' | 'note' | 'dateTime' | 'choice' | 'boolean' | 'personOrGroup';
  readOnly?: boolean;
  hidden?: boolean;
  /** For `choice`: the values offered, and whether others may be typed. */
  choices?: string[];
  allowTextEntry?: boolean;
  /** SharePoint's own columns (group "Core Document Columns"), present in every library. */
  builtIn?: boolean;
}

/** What every document library has, whatever its owners added. */
const BUILT_IN_COLUMNS: readonly SeedColumn[] = [
  { name: 'Title', displayName: 'Title', kind: 'text', builtIn: true },
  { name: 'Created', displayName: 'Created', kind: 'dateTime', readOnly: true, builtIn: true },
  { name: 'Modified', displayName: 'Modified', kind: 'dateTime', readOnly: true, builtIn: true },
  { name: 'Author', displayName: 'Created By', kind: 'personOrGroup', readOnly: true, builtIn: true },
  { name: 'Editor', displayName: 'Modified By', kind: 'personOrGroup', readOnly: true, builtIn: true },
];

export function libraryColumns(custom: readonly SeedColumn[] | undefined): SeedColumn[] {
  return [...BUILT_IN_COLUMNS, ...(custom ?? [])];
}

/** A column as Graph's columnDefinition (list/columns), with the facet of its type. */
export function columnDefinitionJson(driveId: string, column: SeedColumn): Record<string, unknown> {
  const facet: Record<string, unknown> =
    column.kind === 'text' || column.kind === 'note'
      ? {
          text: {
            allowMultipleLines: column.kind === 'note',
            appendChangesToExistingText: false,
            linesForEditing: column.kind === 'note' ? 6 : 0,
            maxLength: column.kind === 'note' ? 63999 : 255,
          },
        }
      : column.kind === 'dateTime'
        ? { dateTime: { displayAs: 'default', format: 'dateTime' } }
        : column.kind === 'choice'
          ? {
              choice: {
                allowTextEntry: column.allowTextEntry ?? false,
                choices: column.choices ?? [],
                displayAs: 'dropDownMenu',
              },
            }
          : column.kind === 'boolean'
            ? { boolean: {} }
            : {
                personOrGroup: {
                  allowMultipleSelection: false,
                  displayAs: 'nameWithPresence',
                  chooseFromType: 'peopleOnly',
                },
              };
  return {
    columnGroup: column.builtIn ? 'Core Document Columns' : 'Custom Columns',
    description: '',
    displayName: column.displayName,
    enforceUniqueValues: false,
    hidden: column.hidden ?? false,
    id: deterministicGuid(`column:${driveId}:${column.name}`),
    indexed: false,
    name: column.name,
    readOnly: column.readOnly ?? false,
    required: false,
    ...facet,
  };
}

export type FieldValue = string | number | boolean | null;

/**
 * Checks a listItem fields PATCH as SharePoint does: every name a column of the library, none read
 * only, each value of the column's type. One bad field refuses the whole update, nothing is written.
 */
export function checkFieldUpdate(columns: readonly SeedColumn[], body: unknown): Record<string, FieldValue> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GraphError(400, 'invalidRequest', 'Invalid request: the body must be a JSON object of fields.');
  }
  const update: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name.startsWith('@odata.')) continue;
    const column = columns.find((c) => c.name === name);
    if (!column) throw new GraphError(400, 'invalidRequest', `Field '${name}' is not recognized`);
    if (column.readOnly) throw new GraphError(400, 'invalidRequest', `Field '${name}' is read-only`);
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      throw new GraphError(400, 'invalidRequest', `The value of field '${name}' is not valid.`);
    }
    const text = value === null ? null : String(value);
    if (text !== null) {
      if (column.kind === 'text' && text.length > 255)
        throw new GraphError(400, 'invalidRequest', `The value of field '${name}' exceeds 255 characters.`);
      if (column.kind === 'dateTime' && Number.isNaN(Date.parse(text)))
        throw new GraphError(400, 'invalidRequest', `The value of field '${name}' is not a valid date.`);
      if (column.kind === 'choice' && !column.allowTextEntry && !(column.choices ?? []).includes(text))
        throw new GraphError(
          400,
          'invalidRequest',
          `The value '${text}' is not a choice of field '${name}'.`,
        );
      if (column.kind === 'personOrGroup' || column.kind === 'boolean') {
        if (column.kind === 'boolean' && typeof value !== 'boolean')
          throw new GraphError(400, 'invalidRequest', `The value of field '${name}' is not a boolean.`);
      }
    }
    update[name] =
      column.kind === 'dateTime' && text !== null
        ? new Date(text).toISOString().replace(/\.\d{3}Z$/, 'Z')
        : (value as FieldValue);
  }
  return update;
}

/** The listItem's number in its list, as SharePoint's fields carry it (`id`), stable per item. */
function listItemId(item: DriveItemRecord): string {
  return String(Number.parseInt(createHash('sha256').update(item.id).digest('hex').slice(0, 6), 16) + 1);
}

/** A listItem's fieldValueSet: SharePoint's own fields of the file, then the library's custom ones. */
export function fieldValueSetJson(item: DriveItemRecord): Record<string, unknown> {
  return {
    '@odata.etag': `"${item.tagGuid},${item.version}"`,
    id: listItemId(item),
    FileLeafRef: item.name,
    Title: null,
    Created: item.createdDateTime,
    Modified: item.lastModifiedDateTime,
    ContentType: item.folder ? 'Folder' : 'Document',
    ...(item.fields ?? {}),
  };
}

import { CONNECTOR_TYPES } from '@mailissa/contracts';
import { describe, expect, it } from 'vitest';
import { openLinkKind, openLinkTextsDe, openLinkTextsEn } from './open-link.js';

describe('the link of a finished transfer', () => {
  it('says what it opens: an issue for Jira, a folder for SharePoint, a card for Trello', () => {
    const label = (type: Parameters<typeof openLinkKind>[0]) => [
      openLinkTextsEn[openLinkKind(type)],
      openLinkTextsDe[openLinkKind(type)],
    ];
    expect(label('jira')).toEqual(['Open issue', 'Vorgang öffnen']);
    expect(label('sharepoint')).toEqual(['Open folder', 'Ordner öffnen']);
    expect(label('trello')).toEqual(['Open card', 'Karte öffnen']);
    expect(label('todo')).toEqual(['Open task', 'Aufgabe öffnen']);
  });

  it('calls no record a folder, and has a text in both languages for every connector', () => {
    for (const type of CONNECTOR_TYPES) {
      expect(openLinkTextsEn[openLinkKind(type)], type).toBeTruthy();
      expect(openLinkTextsDe[openLinkKind(type)], type).toBeTruthy();
    }
    for (const type of ['jira', 'trello', 'domino', 'todo', 'teams_channel'] as const) {
      expect(openLinkKind(type), type).not.toBe('folder');
    }
  });
});

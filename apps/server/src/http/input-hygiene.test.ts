import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { controlCharacterPath } from './input-hygiene.js';

describe('controlCharacterPath', () => {
  it('names the field of parsed JSON, a form or a query that holds a control character', () => {
    expect(controlCharacterPath({ subject: 'ok', to: [{ name: 'a\u0000b' }] })).toBe('to.0.name');
    expect(controlCharacterPath('line one\nline two\ttab')).toBeNull();
    expect(controlCharacterPath({ 'bad\u0001key': 1 })).toBe('bad?key');
  });

  it('leaves uploads alone: bytes and streams are no text fields', () => {
    expect(controlCharacterPath(Buffer.from([0, 1, 2, 3]))).toBeNull();
    expect(controlCharacterPath(Readable.from(['\u0000']))).toBeNull();
    expect(controlCharacterPath({ file: Buffer.from([0]) })).toBeNull();
  });
});

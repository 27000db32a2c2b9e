import { describe, expect, it } from 'vitest';
import {
  folderPathProblem,
  MAX_NAME_LENGTH,
  mailFileName,
  maxNameLengthIn,
  numberedFileName,
  safeFileName,
} from './safe-file-name.js';

const FORBIDDEN = /["*:<>?/\\|]/;

function expectSharePointSafe(name: string): void {
  expect(name).not.toMatch(FORBIDDEN);
  expect(name).not.toMatch(/\p{Cc}|[\u202a-\u202e\u2066-\u2069\u200e\u200f]/u);
  expect(name).not.toMatch(/^[\s.~]|[\s.]$/);
  expect(name).not.toContain('..');
  expect(name.toLowerCase()).not.toContain('_vti_');
  expect(name.length).toBeGreaterThan(0);
  expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
}

describe('safeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeFileName('Quarterly report Q1.pdf')).toBe('Quarterly report Q1.pdf');
    expect(safeFileName('Übersicht – März #3 100%.xlsx')).toBe('Übersicht – März #3 100%.xlsx');
  });

  it('defuses path traversal', () => {
    for (const hostile of [
      '../../etc/passwd',
      '..\\..\\windows\\win.ini',
      '/etc/shadow',
      '..',
      '.',
      '....//x',
    ]) {
      const name = safeFileName(hostile);
      expectSharePointSafe(name);
    }
    expect(safeFileName('../../etc/passwd')).toBe('_._etc_passwd');
  });

  it('replaces every character SharePoint forbids', () => {
    expect(safeFileName('a"b*c:d<e>f?g/h\\i|j.txt')).toBe('a_b_c_d_e_f_g_h_i_j.txt');
  });

  it('prefixes reserved device names, whatever the case or extension', () => {
    expect(safeFileName('CON.txt')).toBe('_CON.txt');
    expect(safeFileName('con')).toBe('_con');
    expect(safeFileName('Lpt9.tar.gz')).toBe('_Lpt9.tar.gz');
    expect(safeFileName('COM1')).toBe('_COM1');
    expect(safeFileName('nul.pdf')).toBe('_nul.pdf');
    expect(safeFileName('desktop.ini')).toBe('_desktop.ini');
    expect(safeFileName('CONTRACT.txt')).toBe('CONTRACT.txt');
  });

  it('handles .lock, _vti_, leading tildes, dots and spaces', () => {
    expectSharePointSafe(safeFileName('.lock'));
    expect(safeFileName('my_vti_file.doc')).toBe('my_vti-file.doc');
    expect(safeFileName('~$budget.xlsx')).toBe('$budget.xlsx');
    expect(safeFileName('  .hidden. ')).toBe('hidden');
    expect(safeFileName('name.   ')).toBe('name');
  });

  it('removes bidi overrides and control characters', () => {
    // "invoice‮fdp.exe" shows as "invoiceexe.pdf" in a right-to-left aware viewer.
    const name = safeFileName('invoice\u202Efdp.exe');
    expect(name).toBe('invoicefdp.exe');
    expect(safeFileName('a\u0000b\u0007c\r\n\td\u2066e\u200f.txt')).toBe('abc de.txt');
    expect(safeFileName('\u202E\u202D')).toBe('attachment');
  });

  it('limits the length, keeping the extension and whole characters', () => {
    const long = `${'x'.repeat(300)}.pdf`;
    const name = safeFileName(long);
    expect(name.length).toBe(MAX_NAME_LENGTH);
    expect(name.endsWith('.pdf')).toBe(true);
    const emoji = safeFileName(`${'😀'.repeat(200)}.txt`, { maxLength: 101 });
    expect(emoji.endsWith('.txt')).toBe(true);
    expect(emoji.length).toBeLessThanOrEqual(101);
    expect(() => encodeURIComponent(emoji)).not.toThrow(); // no lone surrogate
  });

  it('falls back when nothing is left', () => {
    expect(safeFileName('')).toBe('attachment');
    expect(safeFileName(' . . ', { fallback: 'file' })).toBe('file');
  });
});

describe('numberedFileName', () => {
  it('numbers before the extension', () => {
    expect(numberedFileName('report.pdf', 1)).toBe('report.pdf');
    expect(numberedFileName('report.pdf', 2)).toBe('report (2).pdf');
    expect(numberedFileName('README', 3)).toBe('README (3)');
  });

  it('stays within the limit', () => {
    const name = safeFileName(`${'y'.repeat(300)}.docx`);
    const numbered = numberedFileName(name, 12);
    expect(numbered.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(numbered.endsWith(' (12).docx')).toBe(true);
  });
});

describe('mailFileName', () => {
  it('is "YYYY-MM-DD HHmm subject.eml" in UTC', () => {
    const at = new Date('2026-03-04T07:05:00Z');
    expect(mailFileName(at, 'Re: Offer / March?', 255)).toBe('2026-03-04 0705 Re_ Offer _ March_.eml');
    expect(mailFileName(at, '   ', 255)).toBe('2026-03-04 0705 No subject.eml');
    expect(mailFileName(at, 'v1.2...', 255)).toBe('2026-03-04 0705 v1.2.eml');
  });

  it('shortens long subjects to fit the path', () => {
    const max = maxNameLengthIn('Projects/Alpha');
    const name = mailFileName(new Date('2026-01-01T00:00:00Z'), 'S'.repeat(500), max);
    expect(name.length).toBeLessThanOrEqual(max);
    expect(name.endsWith('.eml')).toBe(true);
  });
});

describe('folderPathProblem', () => {
  it('accepts ordinary paths and refuses traversal and forbidden names', () => {
    expect(folderPathProblem('Projects/Alpha')).toBeUndefined();
    expect(folderPathProblem('')).toBeUndefined();
    expect(folderPathProblem('Projects/../Secret')).toBeDefined();
    expect(folderPathProblem('A:B')).toBeDefined();
    expect(folderPathProblem('CON')).toBeDefined();
  });
});

import { describe, expect, it } from 'vitest';
import { auditEventsToCsv, csvField } from './audit-csv.js';

describe('audit CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses cells a spreadsheet would run as formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    for (const start of ['=', '+', '-', '@']) expect(csvField(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
  });

  it('writes a header and one row per entry, with before and after as JSON', () => {
    const csv = auditEventsToCsv([
      {
        id: '00000000-0000-4000-8000-000000000001',
        occurredAt: '2026-11-30T10:00:00.000Z',
        actor: { userId: null, name: 'Mailissa (retention)' },
        action: 'setting.changed',
        subject: { type: 'tenant_settings', id: null, label: '=cmd' },
        before: { portalIdleMinutes: 15 },
        after: { portalIdleMinutes: 30 },
      },
    ]);
    const lines = csv.replace('\uFEFF', '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,actor,actor_user_id,action,subject_type,subject_id,subject,before,after');
    expect(lines[1]).toBe(
      `2026-11-30T10:00:00.000Z,Mailissa (retention),,setting.changed,tenant_settings,,'=cmd,"{""portalIdleMinutes"":15}","{""portalIdleMinutes"":30}"`,
    );
  });
});

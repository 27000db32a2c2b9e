import { describe, expect, it } from 'vitest';
import { utcDay } from './usage-log-salts.js';

describe('utcDay', () => {
  it('names the UTC day of each time, across midnight and when the clock goes back', () => {
    expect(utcDay(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11-30');
    expect(utcDay(new Date('2026-12-01T00:00:00.000Z'))).toBe('2026-12-01');
    expect(utcDay(new Date('2026-12-01T13:45:00.000Z'))).toBe('2026-12-01');
    // A test's clock (or a corrected system clock) may step back: the remembered day must not stick.
    expect(utcDay(new Date('2026-11-30T12:00:00.000Z'))).toBe('2026-11-30');
    expect(utcDay(new Date('2026-12-01T00:00:00.000Z'))).toBe('2026-12-01');
    // A time zone offset in the input changes nothing: the day is UTC's.
    expect(utcDay(new Date('2026-12-01T00:30:00+01:00'))).toBe('2026-11-30');
    expect(utcDay(new Date('1999-12-31T23:59:59.999Z'))).toBe('1999-12-31');
  });
});

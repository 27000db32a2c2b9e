import { describe, expect, it } from 'vitest';
import { busyShare, parseCpuCounters } from './machine-load.js';

// Two readings of a two-core machine's /proc/stat, one second (200 ticks) apart.
const BEFORE = `cpu  1000 20 300 5000 80 0 10 0 0 0
cpu0 500 10 150 2500 40 0 5 0 0 0
cpu1 500 10 150 2500 40 0 5 0 0 0
intr 12345
`;
// 150 ticks of user time, 10 of system, 40 idle: another process kept most of the machine busy.
const BUSY_AFTER = `cpu  1150 20 310 5040 80 0 10 0 0 0
cpu0 575 10 155 2520 40 0 5 0 0 0
`;
// 2 ticks of work, 196 idle, 2 waiting for the disk: a quiet machine.
const QUIET_AFTER = `cpu  1002 20 300 5196 82 0 10 0 0 0
`;

describe('the machine-load check before benchmarks', () => {
  it('reads busy and total ticks of all cores, idle and iowait counted as not busy', () => {
    expect(parseCpuCounters(BEFORE)).toEqual({ busy: 1330, total: 6410 });
  });

  it('tells a busy machine from a quiet one', () => {
    const before = parseCpuCounters(BEFORE);
    expect(busyShare(before, parseCpuCounters(BUSY_AFTER))).toBeCloseTo(0.8, 5);
    expect(busyShare(before, parseCpuCounters(QUIET_AFTER))).toBeCloseTo(0.01, 5);
  });

  it('refuses a /proc/stat without counters rather than guessing', () => {
    expect(() => parseCpuCounters('intr 1 2 3\n')).toThrow(/no "cpu" line/);
    expect(() => parseCpuCounters('cpu  a b c d\n')).toThrow(/not counters/);
  });
});

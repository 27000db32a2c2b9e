import { readFile } from 'node:fs/promises';

/** The machine's CPU time counters since boot, from `/proc/stat` (in clock ticks, all cores together). */
export interface CpuCounters {
  busy: number;
  total: number;
}

/**
 * Reads the first line of `/proc/stat`: `cpu user nice system idle iowait irq softirq steal …`. Idle
 * and iowait are the time no process ran; everything else was some process's (or the kernel's) work.
 * Guest time is already counted in user time, so it is left out of the total.
 */
export function parseCpuCounters(procStat: string): CpuCounters {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no "cpu" line');
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 4 || ticks.some((value) => !Number.isFinite(value)))
    throw new Error(`/proc/stat's "cpu" line is not counters: ${line}`);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

/** The share of the machine's CPU (0–1, all cores) that was busy between two readings. */
export function busyShare(before: CpuCounters, after: CpuCounters): number {
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

/**
 * How busy the machine is while the benchmarks do nothing: the share of all cores used over `ms`.
 * Every figure of `npm run bench` assumes the machine to itself; another process's load slows the
 * baselines and the product alike but not by the same share, and slows `npm test` outright. Linux
 * only (null elsewhere): where `/proc/stat` is missing the check is skipped, not guessed.
 */
export async function idleMachineLoad(ms: number): Promise<number | null> {
  const read = async () => parseCpuCounters(await readFile('/proc/stat', 'utf8'));
  let before: CpuCounters;
  try {
    before = await read();
  } catch {
    return null;
  }
  await new Promise((resolve) => setTimeout(resolve, ms));
  return busyShare(before, await read());
}

import { PerformanceObserver } from 'node:perf_hooks';

/**
 * Starts counting how long garbage collections stop this process's main thread, the one that
 * answers requests; returns a reader of the total so far, in microseconds. The benches print it
 * beside a server's CPU time, of which it is part (decision 183).
 */
export function countGcPauses(): () => number {
  let pauseMicros = 0;
  new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) pauseMicros += entry.duration * 1000;
  }).observe({ entryTypes: ['gc'] });
  return () => pauseMicros;
}

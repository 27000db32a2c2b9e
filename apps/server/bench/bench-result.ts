/**
 * One figure of a benchmark, printed as a line `npm run bench` (bench/run-all.ts) collects into its
 * table. Each benchmark still prints its own readable lines; this adds the machine-readable one.
 */
export interface BenchFigure {
  /** What is measured, e.g. "queue throughput". */
  name: string;
  value: number;
  unit: string;
  /** The goal for it, if it has one: the value must be at least / at most this. */
  goal?: { atLeast: number } | { atMost: number };
  /** The baseline measured in the same run (a bare server, a plain copy), if the figure is a ratio to one. */
  baseline?: { name: string; value: number };
}

export const FIGURE_PREFIX = 'BENCH-FIGURE ';

export function reportFigure(figure: BenchFigure): void {
  process.stdout.write(`${FIGURE_PREFIX}${JSON.stringify(figure)}\n`);
}

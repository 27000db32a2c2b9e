/**
 * `npm run bench`: every benchmark (the `bench:*` scripts) one after the other on this machine, then
 * one table of their figures with the baseline each was measured against in the same run, the ratio
 * to it and the issue's goal, and a last line per figure. Figures, not a test: nothing here fails on
 * a goal missed (the machine may be shared); a benchmark that breaks is reported and the rest go on.
 *
 * BENCH_ONLY=queue,site runs some; BENCH_NPM_TEST=1 also times `npm test` (the whole suite: minutes).
 *
 * Every figure assumes the machine to itself, so before each benchmark the machine's own load is read
 * for a moment while nothing of the bench runs; the busiest reading is printed with the figures, and
 * a warning when another process used more than a tenth of the machine (decision 180).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type BenchFigure, FIGURE_PREFIX } from './bench-result.js';
import { idleMachineLoad } from './machine-load.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Above this share of the machine's CPU used by others, the figures are not this machine's own. */
const BUSY_MACHINE_SHARE = 0.1;

interface Outcome {
  bench: string;
  figures: BenchFigure[];
  exitCode: number | null;
  seconds: number;
}

/** Runs `npm run <script>`, passing its output through, and collects its figure lines. */
function run(script: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const figures: BenchFigure[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(FIGURE_PREFIX))
          figures.push(JSON.parse(line.slice(FIGURE_PREFIX.length)) as BenchFigure);
        else process.stderr.write(`  [${script}] ${line}\n`);
      }
    });
    child.on('exit', (exitCode) =>
      resolve({ bench: script, figures, exitCode, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

const format = (value: number): string =>
  Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);

function goalText(figure: BenchFigure): string {
  if (!figure.goal) return '—';
  return 'atLeast' in figure.goal
    ? `≥ ${format(figure.goal.atLeast)} ${figure.unit}`
    : `≤ ${format(figure.goal.atMost)} ${figure.unit}`;
}

function verdict(figure: BenchFigure): string {
  if (!figure.goal) return '';
  const met =
    'atLeast' in figure.goal ? figure.value >= figure.goal.atLeast : figure.value <= figure.goal.atMost;
  return met ? 'met' : 'missed';
}

function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [
    line(rows[0] ?? []),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const scripts = Object.keys(
    (JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> })
      .scripts,
  ).filter((name) => name.startsWith('bench:'));
  const only = process.env.BENCH_ONLY?.split(',').map((name) => `bench:${name.trim()}`);
  const outcomes: Outcome[] = [];
  /** The machine-load readings taken while no benchmark ran, each with what it came before. */
  const loads: { share: number; before: string }[] = [];
  const checkMachine = async (before: string) => {
    // Long enough to see a steady neighbour, short next to a benchmark; the previous benchmark's
    // processes have exited by now.
    const share = await idleMachineLoad(1000);
    if (share !== null) loads.push({ share, before });
  };
  for (const script of scripts.filter((name) => !only || only.includes(name))) {
    await checkMachine(script);
    process.stderr.write(`running ${script} …\n`);
    outcomes.push(await run(script));
  }
  if (process.env.BENCH_NPM_TEST === '1') {
    await checkMachine('npm test');
    process.stderr.write('running npm test …\n');
    const suite = await run('test');
    outcomes.push({
      ...suite,
      figures: [{ name: '`npm test` on this machine', value: suite.seconds, unit: 's' }],
    });
  }

  const rows = [['figure', 'value', 'baseline (same run)', 'ratio', 'goal', '']];
  for (const outcome of outcomes) {
    if (outcome.exitCode !== 0)
      rows.push([`${outcome.bench} failed (exit ${outcome.exitCode})`, '', '', '', '', '']);
    for (const figure of outcome.figures) {
      rows.push([
        figure.name,
        `${format(figure.value)} ${figure.unit}`,
        figure.baseline ? `${figure.baseline.name}: ${format(figure.baseline.value)}` : '—',
        figure.baseline ? `${((figure.value / figure.baseline.value) * 100).toFixed(0)} %` : '—',
        goalText(figure),
        verdict(figure),
      ]);
    }
  }
  if (process.env.BENCH_NPM_TEST !== '1')
    rows.push(['`npm test` on this machine', 'not timed (BENCH_NPM_TEST=1)', '—', '—', '—', '']);
  const load = loads.reduce<(typeof loads)[number] | null>(
    (highest, reading) => (!highest || reading.share > highest.share ? reading : highest),
    null,
  );
  const busy = load && {
    share: load.share,
    label: `machine busy while no benchmark ran (before ${load.before})`,
    percent: `${(load.share * 100).toFixed(0)} %`,
  };
  if (busy) rows.push([busy.label, busy.percent, '—', '—', '—', '']);
  console.log(`\n${table(rows)}\n`);
  for (const outcome of outcomes)
    for (const figure of outcome.figures)
      console.log(
        `${figure.name}: ${format(figure.value)} ${figure.unit}${figure.goal ? ` (goal ${goalText(figure)}: ${verdict(figure)})` : ''}`,
      );
  console.log(
    busy
      ? `${busy.label}, highest reading: ${busy.percent} of its CPU`
      : 'machine load not read (no /proc/stat)',
  );
  if (busy && busy.share > BUSY_MACHINE_SHARE)
    console.log(
      `warning: other processes used ${busy.percent} of this machine's CPU between benchmarks; the figures above are lower than this machine's own`,
    );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

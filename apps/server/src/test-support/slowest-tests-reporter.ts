import type { Reporter, TestModule } from 'vitest/node';

/**
 * Lists the slowest tests after a run, beside the default reporter, so a test that creeps towards the
 * 20 s budget (or a suite creeping towards 6 minutes) is seen in every `npm test`.
 */
export default class SlowestTestsReporter implements Reporter {
  private readonly count: number;

  /** Vitest passes the reporter's options object from vitest.config.ts (none are needed). */
  constructor(options: { count?: number } = {}) {
    this.count = options.count ?? 10;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const timed = testModules.flatMap((module) =>
      [...module.children.allTests()].flatMap((test) => {
        const diagnostic = test.diagnostic();
        if (!diagnostic) return [];
        return [
          {
            duration: diagnostic.duration,
            label: `[${module.project.name}] ${module.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}`,
          },
        ];
      }),
    );
    if (timed.length === 0) return;
    const slowest = timed.sort((a, b) => b.duration - a.duration).slice(0, this.count);
    const lines = slowest.map(
      ({ duration, label }) => `${(duration / 1000).toFixed(1).padStart(6)} s  ${label}`,
    );
    process.stdout.write(`\n Slowest ${slowest.length} tests\n${lines.join('\n')}\n\n`);
  }
}

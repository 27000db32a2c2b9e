import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/**
 * The serious and critical violations axe-core finds on a page or frame (the add-in in the Outlook
 * stand-in) as it is now, one line each. axe goes in through the debugger protocol rather than a
 * script tag, so the page's own content security policy stays as it is.
 */
export async function axeViolations(target: Page | Frame, screen: string): Promise<string[]> {
  if (!(await target.evaluate(() => 'axe' in globalThis))) {
    await target.evaluate(await readFile(AXE_SCRIPT, 'utf8'));
  }
  const result = await target.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(context: { exclude: string[][] }, options: { resultTypes: string[] }): Promise<AxeResult>;
        };
      }
    ).axe;
    // Fluent UI's focus manager (tabster) puts hidden, focusable <i> sentinels around focus zones
    // to catch Tab at their edges: its markup, not ours, and what it exists for; everything else counts.
    // Every rule still runs; only the violations are reported in full (the passes, a list of every
    // node each rule checked, are what most of a run's time went into and nobody reads them).
    return axe.run({ exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${screen}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.nodes
          .map((node) => JSON.stringify(node.target))
          .slice(0, 3)
          .join(', ')}`,
    );
}

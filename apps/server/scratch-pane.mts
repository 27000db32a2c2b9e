import { launchOwnChromium } from './src/test-support/chromium.js';
import { startTestServer } from './src/test-support/test-server.js';
const server = await startTestServer();
const browser = await launchOwnChromium();
for (let run = 0; run < 3; run++) {
  const context = await browser.newContext({ locale: 'en-GB' });
  await context.addInitScript(() => {
    const w = window as unknown as { __first?: number };
    const obs = new MutationObserver(() => {
      if (w.__first === undefined && document.querySelector('[data-testid="transfer-target"]')) {
        w.__first = performance.timeOrigin + performance.now();
        requestAnimationFrame(() => { (window as unknown as { __raf?: number }).__raf = performance.timeOrigin + performance.now(); });
      }
    });
    document.addEventListener('DOMContentLoaded', () => obs.observe(document.body, { subtree: true, childList: true }));
  });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/emulator/outlook/`);
  await page.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
  await page.locator('button[name="emulator_user"]', { hasText: 'anna.berger@contoso.example' }).click();
  await page.getByTestId('mail-item').filter({ hasText: 'Offer 2026-117 for Northwind with price list' }).click();
  await page.getByTestId('reading-pane').getByText('Offer 2026-117 for Northwind with price list').first().waitFor();
  const t0 = await page.evaluate(() => performance.timeOrigin + performance.now());
  await page.getByTestId('open-addin').click();
  await page.frameLocator('[data-testid="addin-frame"]').getByTestId('transfer-target').first().waitFor({ state: 'visible', timeout: 60_000 });
  const t1 = await page.evaluate(() => performance.timeOrigin + performance.now());
  const frame = page.frames().find((f) => f.url().includes('/addin'));
  const entries = await frame!.evaluate(() => {
    const o = performance.timeOrigin;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const res = performance.getEntriesByType('resource').map((e) => { const r = e as PerformanceResourceTiming; return { n: r.name.replace(location.origin, ''), s: o + r.startTime, rs: o + r.responseStart, e: o + r.responseEnd, size: r.transferSize }; });
    const marks = performance.getEntriesByType('paint').map((e) => ({ n: e.name, s: o + e.startTime }));
    const w = window as unknown as { __first?: number; __raf?: number };
    return { first: w.__first ?? 0, raf: w.__raf ?? 0, nav: { s: o + nav.startTime, rs: o + nav.responseStart, dcl: o + nav.domContentLoadedEventEnd, load: o + nav.loadEventEnd }, res, marks };
  });
  console.log(`run ${run}: total ${(t1 - t0).toFixed(0)} ms`);
  const rel = (x: number) => (x - t0).toFixed(0).padStart(5);
  console.log(`  nav start ${rel(entries.nav.s)} resp ${rel(entries.nav.rs)} dcl ${rel(entries.nav.dcl)} load ${rel(entries.nav.load)}`);
  for (const r of entries.res) console.log(`  ${rel(r.s)} ${rel(r.rs)} ${rel(r.e)} ${String(r.size).padStart(7)} ${r.n.slice(0, 90)}`);
  console.log(`  first target in DOM ${rel(entries.first)}, next frame ${rel(entries.raf)}`);
  for (const m of entries.marks) console.log(`  ${rel(m.s)} ${m.n}`);
  await context.close();
}
await browser.close(); await server.close();

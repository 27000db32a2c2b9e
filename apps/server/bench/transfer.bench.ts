/**
 * `npm run bench:transfer`: pushes a generated 100 MB mail (several large attachments) through the
 * real pipeline — add-in API, job queue, worker, Graph client, SharePoint connector — against the
 * Microsoft 365 emulator, and reports throughput and how much the process's memory grew.
 *
 * The mail enters the emulator's mailbox through EMULATOR_IMPORT_DIR. The emulator runs in the same
 * process and holds the mail in memory from the start, so the baseline is taken after start-up; what
 * grows during the transfer is the pipeline (and the emulator's receiving side, which streams to disk).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Transfer } from '@mailissa/contracts';
import { startTestServer } from '../src/test-support/test-server.js';
import { accessTokenFor, apiClient, findMail, seedTargets } from '../src/transfer/transfer-test-helpers.js';
import { reportFigure } from './bench-result.js';
import { generateLargeMail } from './generate-large-mail.js';

const MAIL_BYTES = 100 * 1024 * 1024;
const ATTACHMENTS = 4;
const SUBJECT = 'Benchmark: 100 MB of measurements';
const MB = 1024 * 1024;

/**
 * The transfer once it ended, asked every 100 ms. A benchmark runs outside Vitest, so the tests'
 * waitForTransfer (vi.waitFor) is not available here.
 */
async function transferWhenEnded(
  api: ReturnType<typeof apiClient>,
  token: string,
  id: string,
  timeoutMs: number,
): Promise<Transfer> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { body } = await api<{ transfer: Transfer }>(token, 'GET', `/api/transfers/${id}`);
    if (body.transfer.state === 'done' || body.transfer.state === 'failed') return body.transfer;
    if (performance.now() > deadline) throw new Error(`transfer ${id} still ${body.transfer.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

async function main(): Promise<void> {
  const importDir = await mkdtemp(path.join(tmpdir(), 'mailissa-bench-import-'));
  const generated = await generateLargeMail(path.join(importDir, 'bench-100mb.eml'), {
    totalBytes: MAIL_BYTES,
    attachments: ATTACHMENTS,
    from: 'sender@fabrikam.example',
    to: 'anna.berger@contoso.example',
    messageId: '<bench-100mb@mailissa.example>',
  });
  process.stdout.write(
    `generated ${(generated.bytes / MB).toFixed(1)} MB mail with ${ATTACHMENTS} attachments (${(generated.attachmentBytes / MB).toFixed(1)} MB)\n`,
  );
  const server = await startTestServer({ env: { EMULATOR_IMPORT_DIR: importDir } });
  try {
    const targets = await seedTargets(server);
    const token = await accessTokenFor(
      server,
      server.app.emulator.ids.demoTenantId,
      server.app.emulator.ids.demoUserUpn,
    );
    const mail = await findMail(server, SUBJECT);
    const api = apiClient(server);

    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);

    const started = performance.now();
    const created = await api<{ transfer: Transfer }>(token, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.alpha,
    });
    if (created.status !== 202) throw new Error(`POST /api/transfers answered ${created.status}`);
    const done = await transferWhenEnded(api, token, created.body.transfer.id, 600_000);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (done.state !== 'done') throw new Error(`the transfer failed: ${done.failureReason}`);

    const written = done.files.reduce((sum, file) => sum + file.size, 0);
    const mailMb = generated.bytes / MB;
    process.stdout.write(
      `wrote ${done.files.length} files, ${(written / MB).toFixed(1)} MB, in ${seconds.toFixed(2)} s ` +
        `(${(written / MB / seconds).toFixed(1)} MB/s written)\n`,
    );
    reportFigure({
      name: `transfer of a ${mailMb.toFixed(0)} MB mail`,
      value: mailMb / seconds,
      unit: 'MB/s',
    });
    reportFigure({
      name: `transfer of a ${mailMb.toFixed(0)} MB mail, peak RSS growth`,
      value: (peak - baseline) / MB,
      unit: 'MB',
      goal: { atMost: 64 },
    });
    process.stdout.write(
      `transfer: ${(mailMb / seconds).toFixed(1)} MB/s, peak RSS +${((peak - baseline) / MB).toFixed(1)} MB, ${mailMb.toFixed(0)} MB mail\n`,
    );
  } finally {
    await server.close();
    await rm(importDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:transfer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

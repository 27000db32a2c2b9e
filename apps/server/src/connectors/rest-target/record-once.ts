import { randomUUID } from 'node:crypto';
import type { TransferProgress } from '../connector.js';

/**
 * The progress key under which a record-creating connector keeps its record (the issue, card,
 * document or comment it made), beside the files. The transfer's file list leaves it out.
 */
export const RECORD_PART_KEY = 'record';

export interface OnceSteps {
  /** Looks for a record an earlier attempt made with this marker (a label, a property, a field). */
  find(marker: string): Promise<string | undefined>;
  /** Makes the record, carrying the marker so `find` can see it; returns its id. */
  create(marker: string): Promise<string>;
}

/**
 * Makes a record exactly once across attempts of one transfer (issue 11 item 10). A fresh marker is
 * recorded before the create request leaves; the record carries it. A retry that finds the marker
 * recorded but no id (the worker died between the request and the bookkeeping) looks the marker up
 * in the target system before creating anything, so a crash at any point leaves one record.
 */
export async function createOnce(
  progress: TransferProgress,
  steps: OnceSteps,
): Promise<{ id: string; created: boolean }> {
  const recorded = await progress.recorded(RECORD_PART_KEY);
  if (recorded?.done) return { id: recorded.name, created: false };
  let marker = recorded?.name;
  if (marker) {
    const found = await steps.find(marker);
    if (found) {
      await progress.done(RECORD_PART_KEY, found, 0);
      return { id: found, created: false };
    }
  } else {
    marker = `mailissa-${randomUUID()}`;
    await progress.reserve(RECORD_PART_KEY, marker, 0);
  }
  const id = await steps.create(marker);
  await progress.done(RECORD_PART_KEY, id, 0);
  return { id, created: true };
}

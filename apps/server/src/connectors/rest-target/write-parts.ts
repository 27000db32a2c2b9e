import type { MailPart, MailSource, SizedStream, TransferProgress, WrittenFile } from '../connector.js';
import { partFileName } from './mail-fields.js';

export interface PartSteps {
  /** Whether a file of this name and size is already on the record (an earlier attempt's upload). */
  landed(name: string, size: number): Promise<boolean>;
  upload(part: MailPart, name: string, content: SizedStream): Promise<void>;
}

/**
 * Attaches the .eml and each attachment to a record, once each across attempts: a part recorded as
 * finished is skipped; one reserved by an attempt that died is looked for on the record first (same
 * name and size), so a crash between the upload and the bookkeeping does not attach it twice.
 */
export async function writeParts(
  mail: MailSource,
  progress: TransferProgress,
  steps: PartSteps,
): Promise<WrittenFile[]> {
  const files: WrittenFile[] = [];
  for (const part of mail.parts) {
    const recorded = await progress.recorded(part.key);
    if (recorded?.done) {
      files.push({ key: part.key, name: recorded.name, size: recorded.size });
      continue;
    }
    if (recorded && (await steps.landed(recorded.name, recorded.size))) {
      await progress.done(part.key, recorded.name, recorded.size);
      files.push({ key: part.key, name: recorded.name, size: recorded.size });
      continue;
    }
    const name = partFileName(mail, part);
    const content = await part.open();
    await progress.reserve(part.key, name, content.size);
    await steps.upload(part, name, content);
    await progress.done(part.key, name, content.size);
    files.push({ key: part.key, name, size: content.size });
  }
  return files;
}

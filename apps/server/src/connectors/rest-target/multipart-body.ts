import { randomBytes } from 'node:crypto';
import type { SizedStream } from '../connector.js';

export interface MultipartFile {
  /** The form field, e.g. `file` for Jira and Trello. */
  field: string;
  fileName: string;
  contentType: string;
  content: SizedStream;
}

/** Quotes a parameter value as browsers do for multipart/form-data (WHATWG HTML, form submission). */
function quoted(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

/**
 * A multipart/form-data body with text fields and one file, streamed: the file's bytes flow from
 * the mail source to the target without being held in memory. `length` is exact, for servers that
 * want Content-Length.
 */
export function multipartBody(
  file: MultipartFile,
  fields: Record<string, string> = {},
): { body: ReadableStream<Uint8Array>; contentType: string; length: number } {
  const boundary = `----mailissa${randomBytes(12).toString('hex')}`;
  const encoder = new TextEncoder();
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.fileName)}"\r\n` +
    `Content-Type: ${file.contentType}\r\n\r\n`;
  const headBytes = encoder.encode(head);
  const tailBytes = encoder.encode(`\r\n--${boundary}--\r\n`);
  const reader = file.content.body.getReader();
  let stage: 'head' | 'file' | 'done' = 'head';
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === 'head') {
        stage = 'file';
        controller.enqueue(headBytes);
        return;
      }
      if (stage === 'file') {
        const chunk = await reader.read();
        if (!chunk.done) {
          controller.enqueue(chunk.value);
          return;
        }
        stage = 'done';
        controller.enqueue(tailBytes);
        controller.close();
      }
    },
    async cancel(reason) {
      await reader.cancel(reason);
    },
  });
  return {
    body,
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: headBytes.byteLength + file.content.size + tailBytes.byteLength,
  };
}

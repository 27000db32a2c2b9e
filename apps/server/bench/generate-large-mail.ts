import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * Writes a MIME mail of about `totalBytes` with several large binary attachments to `file`, streaming
 * so that generating it costs no memory either. The bytes are pseudo-random (incompressible) and the
 * same on every run.
 */
export async function generateLargeMail(
  file: string,
  options: {
    totalBytes: number;
    attachments: number;
    subject: string;
    from: string;
    to: string;
    messageId: string;
  },
): Promise<{ bytes: number; attachmentBytes: number }> {
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (text: string | Buffer) => {
    bytes += typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength;
    if (!out.write(text)) await once(out, 'drain');
  };
  const boundary = 'bench-boundary-7f3a';
  await write(
    [
      `From: Benchmark Sender <${options.from}>`,
      `To: <${options.to}>`,
      `Subject: ${options.subject}`,
      'Date: Sat, 28 Nov 2026 09:30:00 +0000',
      `Message-ID: ${options.messageId}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The measurements are attached.',
      '',
    ].join('\r\n'),
  );
  // Base64 grows the data by 4/3 plus line breaks; size each attachment so the mail hits the total.
  const rawPerAttachment = Math.floor(((options.totalBytes / options.attachments) * 57) / 78);
  let state = 0x2026;
  for (let index = 1; index <= options.attachments; index++) {
    await write(
      [
        `--${boundary}`,
        `Content-Type: application/octet-stream; name="measurements-${index}.bin"`,
        'Content-Transfer-Encoding: base64',
        `Content-Disposition: attachment; filename="measurements-${index}.bin"`,
        '',
        '',
      ].join('\r\n'),
    );
    // 57 raw bytes make one 76-character base64 line; write 1000 lines at a time.
    const block = Buffer.alloc(57 * 1000);
    for (let written = 0; written < rawPerAttachment; written += block.byteLength) {
      const size = Math.min(block.byteLength, rawPerAttachment - written);
      for (let i = 0; i < size; i += 4) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        block.writeUInt32LE(state, i);
      }
      const encoded = block.subarray(0, size).toString('base64');
      const lines: string[] = [];
      for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
      await write(`${lines.join('\r\n')}\r\n`);
    }
  }
  await write(`--${boundary}--\r\n`);
  out.end();
  await once(out, 'finish');
  return { bytes, attachmentBytes: rawPerAttachment * options.attachments };
}

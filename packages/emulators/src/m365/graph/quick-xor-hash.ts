import { createReadStream } from 'node:fs';

/**
 * OneDrive's QuickXorHash, the only hash SharePoint reports (docs/microsoft-365.md §6.1). Byte k of the stream is
 * XORed into a 160-bit circular register at bit (11·k) mod 160; the stream length (little-endian
 * int64) is XORed into the last eight bytes; the result is base64.
 */
export class QuickXorHash {
  private readonly state = new Uint8Array(20);
  private bitPosition = 0;
  private length = 0;

  update(chunk: Uint8Array): void {
    const state = this.state;
    let bit = this.bitPosition;
    for (let i = 0; i < chunk.length; i += 1) {
      const value = chunk[i] as number;
      const byteIndex = bit >> 3;
      const offset = bit & 7;
      state[byteIndex] = (state[byteIndex] as number) ^ ((value << offset) & 0xff);
      if (offset > 0) {
        const nextIndex = byteIndex === 19 ? 0 : byteIndex + 1;
        state[nextIndex] = (state[nextIndex] as number) ^ (value >> (8 - offset));
      }
      bit += 11;
      if (bit >= 160) bit -= 160;
    }
    this.bitPosition = bit;
    this.length += chunk.length;
  }

  digest(): string {
    const out = Buffer.from(this.state);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(this.length));
    for (let i = 0; i < 8; i += 1) out[12 + i] = (out[12 + i] as number) ^ (length[i] as number);
    return out.toString('base64');
  }
}

export async function quickXorHashOfFile(file: string): Promise<string> {
  const hash = new QuickXorHash();
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest();
}

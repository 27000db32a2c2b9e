/**
 * Reads a byte stream in fixed-size chunks (upload fragments), holding at most one chunk plus one
 * network read in memory however large the stream is.
 */
export class ChunkReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private leftover: Uint8Array | undefined;
  private finished = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.getReader();
  }

  /** Up to `size` bytes; shorter only at the end of the stream; empty once it is exhausted. */
  async read(size: number): Promise<Uint8Array> {
    const chunk = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      let piece = this.leftover;
      this.leftover = undefined;
      if (!piece) {
        if (this.finished) break;
        const next = await this.reader.read();
        if (next.done) {
          this.finished = true;
          break;
        }
        piece = next.value;
      }
      const take = Math.min(piece.byteLength, size - filled);
      chunk.set(piece.subarray(0, take), filled);
      filled += take;
      if (take < piece.byteLength) this.leftover = piece.subarray(take);
    }
    return filled === size ? chunk : chunk.subarray(0, filled);
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }
}

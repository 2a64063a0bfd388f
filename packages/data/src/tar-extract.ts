/**
 * Extracts chosen regular files from a .tar.gz, streaming: Node's gunzip
 * feeds a small reader of the tar format (512-byte headers, data padded
 * to 512 bytes, two zero blocks at the end; ustar name prefixes, pax and
 * GNU long names). Only the members the caller asks for are written, and
 * only to the paths it gives, so an archive cannot place a file anywhere
 * else (no "../" escapes, no links).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

import { DataFormatError } from '@hourglass/common';

const BLOCK = 512;

/**
 * Writes each regular file of `archive` for which `destinationOf(name)`
 * returns a path, to that path. Returns the names written. A damaged
 * archive is a DataFormatError naming it.
 */
export async function extractTarGz(
  archive: string,
  destinationOf: (name: string) => string | undefined,
): Promise<string[]> {
  const reader = new ChunkReader(createReadStream(archive).pipe(createGunzip()));
  const written: string[] = [];
  let longName: string | undefined;

  try {
    for (;;) {
      const header = await reader.read(BLOCK);
      if (header === undefined) throw damaged('it ends without the end-of-archive blocks');
      if (header.every((byte) => byte === 0)) break;
      const sums = headerSums(header);
      if (sums.recorded !== sums.actual) {
        throw damaged(
          `a header's checksum is ${sums.recorded}, its bytes sum to ${sums.actual}`,
        );
      }

      const size = readOctal(header, 124, 12);
      const type = String.fromCharCode(header[156]!);
      const padded = Math.ceil(size / BLOCK) * BLOCK;

      // Pax ('x') and GNU ('L') records carry the next member's long name.
      if (type === 'x' || type === 'L') {
        const body = await reader.readOrFail(padded, damaged);
        const text = new TextDecoder().decode(body.subarray(0, size));
        longName = type === 'L' ? text.replace(/\0+$/, '') : paxPath(text) ?? longName;
        continue;
      }

      const name = longName ?? headerName(header);
      longName = undefined;
      const isRegular = type === '0' || type === '\0';
      const destination = isRegular ? destinationOf(name) : undefined;
      if (destination === undefined) {
        await reader.skip(padded, damaged);
        continue;
      }
      await reader.copyTo(destination, size, damaged);
      await reader.skip(padded - size, damaged);
      written.push(name);
    }
  } catch (error) {
    if (error instanceof DataFormatError) throw error;
    // gunzip's own complaints (a truncated or corrupt stream).
    throw damaged(`it does not decompress (${(error as Error).message})`, error);
  } finally {
    reader.destroy();
  }
  return written;

  function damaged(why: string, cause?: unknown): DataFormatError {
    return new DataFormatError(archive, `not a readable .tar.gz: ${why}`, { cause });
  }
}

/** Pulls exact byte counts out of a stream of chunks. */
class ChunkReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly stream: NodeJS.ReadableStream & { destroy(): void };
  private buffer: Buffer = Buffer.alloc(0);

  constructor(stream: NodeJS.ReadableStream & { destroy(): void }) {
    this.stream = stream;
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Exactly `n` bytes, or undefined if the stream ends first. */
  async read(n: number): Promise<Buffer | undefined> {
    while (this.buffer.length < n) {
      const next = await this.chunks.next();
      if (next.done === true) return undefined;
      this.buffer =
        this.buffer.length === 0 ? next.value : Buffer.concat([this.buffer, next.value]);
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  async readOrFail(n: number, fail: (why: string) => Error): Promise<Buffer> {
    const bytes = await this.read(n);
    if (bytes === undefined) throw fail('it ends inside a member');
    return bytes;
  }

  /** Streams `n` bytes into a new file at `path`. */
  async copyTo(path: string, n: number, fail: (why: string) => Error): Promise<void> {
    const handle = await open(path, 'w');
    try {
      await this.forEach(n, fail, (piece) => handle.write(piece).then(() => undefined));
    } finally {
      await handle.close();
    }
  }

  async skip(n: number, fail: (why: string) => Error): Promise<void> {
    await this.forEach(n, fail, async () => undefined);
  }

  destroy(): void {
    this.stream.destroy();
  }

  private async forEach(
    n: number,
    fail: (why: string) => Error,
    use: (piece: Buffer) => Promise<void>,
  ): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.buffer.length === 0) {
        const next = await this.chunks.next();
        if (next.done === true) throw fail('it ends inside a member');
        this.buffer = next.value;
      }
      const piece = this.buffer.subarray(0, Math.min(left, this.buffer.length));
      this.buffer = this.buffer.subarray(piece.length);
      left -= piece.length;
      await use(piece);
    }
  }
}

function headerName(header: Buffer): string {
  const name = readString(header, 0, 100);
  // ustar keeps a path longer than 100 bytes as prefix + '/' + name.
  const isUstar = readString(header, 257, 6).startsWith('ustar');
  const prefix = isUstar ? readString(header, 345, 155) : '';
  return prefix === '' ? name : `${prefix}/${name}`;
}

function paxPath(text: string): string | undefined {
  // Records are "<length> <key>=<value>\n".
  for (const line of text.split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

function readString(header: Buffer, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

function readOctal(header: Buffer, start: number, length: number): number {
  const text = readString(header, start, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

/** A header's recorded checksum, and its bytes summed (the field as spaces). */
function headerSums(header: Buffer): { recorded: number; actual: number } {
  let actual = 0;
  for (let i = 0; i < BLOCK; i += 1) actual += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return { recorded: readOctal(header, 148, 8), actual };
}

/**
 * Test support: builds .tar.gz archives in memory (ustar headers), so
 * download and extraction tests need no tar program. Not part of the
 * package's surface.
 */
import { gzipSync } from 'node:zlib';

/** One archive member: a regular file unless `type` says otherwise. */
export interface TarEntry {
  name: string;
  data?: Uint8Array;
  /** The header's type flag: '0' file (default), '5' folder, '2' link. */
  type?: string;
}

/** The bytes of a gzip-compressed tar holding `entries`. */
export function createTarGz(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? new Uint8Array());
    blocks.push(header(entry.name, data.length, entry.type ?? '0'));
    blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

function header(name: string, size: number, type: string): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);

  // The checksum is computed with its own field as eight spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

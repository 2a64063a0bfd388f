/**
 * Checkpoint files on disk: one file per checkpoint, named by its step,
 * written under a temporary name and renamed into place, so a reader (or a
 * worker resuming after a crash) never sees a half-written checkpoint.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { DataFormatError } from '@hourglass/common';

import type { Checkpoint, CheckpointInfo, LoadedCheckpoint } from './checkpoint.ts';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-format.ts';

/** The file name of the checkpoint after `step` updates: step-0000120.ckpt. */
export function checkpointFileName(step: number): string {
  return `step-${String(step).padStart(7, '0')}.ckpt`;
}

/**
 * Writes `checkpoint` to `<directory>/step-<step>.ckpt`, creating the
 * directory if needed; an existing file for that step is replaced whole.
 */
export async function writeCheckpoint(
  directory: string,
  checkpoint: Checkpoint,
): Promise<CheckpointInfo> {
  const bytes = encodeCheckpoint(checkpoint);
  const path = join(directory, checkpointFileName(checkpoint.step));
  const temporaryPath = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(directory, { recursive: true });

  try {
    // fsync before the rename: otherwise a power cut can leave the new
    // name pointing at a file whose data never reached the disk.
    const file = await open(temporaryPath, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporaryPath, path);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }

  return {
    step: checkpoint.step,
    path,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * Reads and verifies the checkpoint file at `path`. Throws DataFormatError
 * naming the file when it cannot be read or is truncated or corrupt.
 */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataFormatError(path, `cannot read checkpoint: ${reason}`, { cause: error });
  }

  const checkpoint = decodeCheckpoint(bytes, path);
  const info: CheckpointInfo = {
    step: checkpoint.step,
    path,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  return { ...checkpoint, info };
}

/**
 * The checkpoint file format, version 1. A file is
 *
 *   bytes 0..7    magic "HGCKPT01"
 *   bytes 8..11   header length H, uint32 little-endian
 *   bytes 12..    header: H bytes of UTF-8 JSON (CheckpointHeader)
 *   then          zero bytes up to a multiple of 4
 *   then          payload: every tensor's values, little-endian, back to
 *                 back, at the offsets the header gives
 *
 * The header carries the payload's length and sha256, so a truncated or
 * altered file is refused instead of restoring wrong weights.
 */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';

import { z } from 'zod';

import { DataFormatError, toFieldIssues } from '@hourglass/common';

import type { Checkpoint, CheckpointTensor } from './checkpoint.ts';

const MAGIC = Buffer.from('HGCKPT01', 'ascii');
const PREAMBLE_BYTES = MAGIC.length + 4;
const FORMAT_VERSION = 1;
const BYTES_PER_ELEMENT = 4;

const count = z.number().int().nonnegative();

const TensorEntry = z.object({
  group: z.enum(['model', 'optimizer']),
  name: z.string().min(1),
  dtype: z.enum(['float32', 'int32']),
  shape: z.array(count),
  /** Byte offset from the payload's start. */
  offset: count,
  byteLength: count,
});

/** The JSON header of a checkpoint file, checked when a file is read. */
const CheckpointHeader = z.object({
  format: z.literal('hourglass-checkpoint'),
  version: z.literal(FORMAT_VERSION),
  runId: z.string(),
  step: count,
  modelFamily: z.string().min(1),
  specFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  samplerPosition: z.object({ epoch: count, batchInEpoch: count }),
  optimizerClass: z.string().min(1),
  tensors: z.array(TensorEntry),
  payloadByteLength: count,
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
type CheckpointHeader = z.output<typeof CheckpointHeader>;
type TensorEntry = z.output<typeof TensorEntry>;

/** Serialises a checkpoint into the bytes of one file. */
export function encodeCheckpoint(checkpoint: Checkpoint): Buffer {
  assertLittleEndian();

  const inGroup = (group: TensorEntry['group']) => (tensor: CheckpointTensor) => ({
    group,
    tensor,
  });
  const groups = [
    ...checkpoint.modelWeights.map(inGroup('model')),
    ...checkpoint.optimizerWeights.map(inGroup('optimizer')),
  ];
  let offset = 0;
  const entries: TensorEntry[] = groups.map(({ group, tensor }) => {
    const entry = {
      group,
      name: tensor.name,
      dtype: tensor.dtype,
      shape: tensor.shape,
      offset,
      byteLength: tensor.values.byteLength,
    };
    offset += tensor.values.byteLength;
    return entry;
  });
  const payload = Buffer.concat(
    groups.map(({ tensor: { values } }) =>
      Buffer.from(values.buffer, values.byteOffset, values.byteLength),
    ),
  );

  const header: CheckpointHeader = {
    format: 'hourglass-checkpoint',
    version: FORMAT_VERSION,
    runId: checkpoint.runId,
    step: checkpoint.step,
    modelFamily: checkpoint.modelFamily,
    specFingerprint: checkpoint.specFingerprint,
    samplerPosition: checkpoint.samplerPosition,
    optimizerClass: checkpoint.optimizerClass,
    tensors: entries,
    payloadByteLength: payload.length,
    payloadSha256: sha256(payload),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  MAGIC.copy(preamble);
  preamble.writeUInt32LE(headerBytes.length, MAGIC.length);
  const padding = Buffer.alloc(paddingAfter(PREAMBLE_BYTES + headerBytes.length));

  return Buffer.concat([preamble, headerBytes, padding, payload]);
}

/**
 * Parses and verifies the bytes of a checkpoint file. `file` names it in
 * errors: every problem (truncated, not a checkpoint, bad header, checksum
 * mismatch) is a DataFormatError saying what is wrong with which file.
 */
export function decodeCheckpoint(bytes: Buffer, file: string): Checkpoint {
  assertLittleEndian();
  const fail = (message: string, cause?: unknown) =>
    new DataFormatError(file, message, cause === undefined ? {} : { cause });

  if (bytes.length < PREAMBLE_BYTES) {
    throw fail(`truncated checkpoint: ${bytes.length} bytes, not even a preamble`);
  }
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw fail('not a checkpoint file: it does not start with HGCKPT01');
  }
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerEnd = PREAMBLE_BYTES + headerLength;
  if (bytes.length < headerEnd) {
    throw fail(
      `truncated checkpoint: the header needs ${headerEnd} bytes, ` +
        `the file has ${bytes.length}`,
    );
  }

  const header = parseHeader(bytes.subarray(PREAMBLE_BYTES, headerEnd), fail);
  const payloadStart = headerEnd + paddingAfter(headerEnd);
  const payloadLength = bytes.length - payloadStart;
  if (payloadLength < header.payloadByteLength) {
    throw fail(
      `truncated checkpoint: ${Math.max(payloadLength, 0)} of ` +
        `${header.payloadByteLength} payload bytes present`,
    );
  }
  if (payloadLength > header.payloadByteLength) {
    const extra = payloadLength - header.payloadByteLength;
    throw fail(`${extra} unexpected bytes after the payload`);
  }
  const payload = bytes.subarray(payloadStart);
  if (sha256(payload) !== header.payloadSha256) {
    throw fail('corrupt checkpoint: the payload does not match its sha256');
  }

  const tensors = header.tensors.map((entry) => ({
    group: entry.group,
    tensor: readTensor(payload, entry, fail),
  }));
  const inGroup = (group: TensorEntry['group']) =>
    tensors.filter((item) => item.group === group).map((item) => item.tensor);
  return {
    runId: header.runId,
    step: header.step,
    modelFamily: header.modelFamily,
    specFingerprint: header.specFingerprint,
    samplerPosition: header.samplerPosition,
    optimizerClass: header.optimizerClass,
    modelWeights: inGroup('model'),
    optimizerWeights: inGroup('optimizer'),
  };
}

function parseHeader(
  headerBytes: Buffer,
  fail: (message: string, cause?: unknown) => DataFormatError,
): CheckpointHeader {
  let json: unknown;
  try {
    json = JSON.parse(headerBytes.toString('utf8'));
  } catch (error) {
    throw fail('corrupt checkpoint: the header is not JSON', error);
  }

  const result = CheckpointHeader.safeParse(json);
  if (!result.success) {
    const issues = toFieldIssues(result.error).map(
      (issue) => `${issue.path}: ${issue.message}`,
    );
    throw fail(`invalid checkpoint header: ${issues.join('; ')}`);
  }
  return result.data;
}

function readTensor(
  payload: Buffer,
  entry: TensorEntry,
  fail: (message: string) => DataFormatError,
): CheckpointTensor {
  const elements = entry.shape.reduce((product, size) => product * size, 1);
  const isInside = entry.offset + entry.byteLength <= payload.length;
  if (entry.byteLength !== elements * BYTES_PER_ELEMENT || !isInside) {
    throw fail(
      `tensor ${entry.name} of shape [${entry.shape.join(', ')}] does not fit ` +
        `its ${entry.byteLength} bytes at offset ${entry.offset}`,
    );
  }

  // Copied out, so the values are aligned and outlive the file's buffer.
  const start = payload.byteOffset + entry.offset;
  const copy = payload.buffer.slice(start, start + entry.byteLength);
  const values =
    entry.dtype === 'float32' ? new Float32Array(copy) : new Int32Array(copy);
  return { name: entry.name, dtype: entry.dtype, shape: entry.shape, values };
}

function paddingAfter(length: number): number {
  return (BYTES_PER_ELEMENT - (length % BYTES_PER_ELEMENT)) % BYTES_PER_ELEMENT;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// Tensors are copied as raw bytes; every platform Node runs on in
// practice is little-endian, and a big-endian one is refused rather than
// writing files no other machine could read.
function assertLittleEndian(): void {
  if (endianness() !== 'LE') {
    throw new Error('checkpoints are little-endian; this machine is big-endian');
  }
}

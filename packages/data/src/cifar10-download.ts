/**
 * Downloads the official CIFAR-10 binary archive, checks it, and unpacks
 * its seven files into a folder that readCifar10 reads. A folder already
 * filled by an earlier download with the same checksum is left alone; a
 * failed download leaves nothing behind but the (possibly empty) folder.
 */
import { createHash } from 'node:crypto';
import {
  mkdir,
  mkdtemp,
  open,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { DataFormatError, UnavailableError, toError } from '@hourglass/common';

import { CIFAR10_META_FILE, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from './cifar10-reader.ts';
import { extractTarGz } from './tar-extract.ts';

/** Where the dataset's authors publish the binary version. */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';

/** The MD5 the authors publish for that archive. */
export const CIFAR10_ARCHIVE_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';

/** The SHA-256 of the same archive (170,052,171 bytes). */
export const CIFAR10_ARCHIVE_SHA256 =
  'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd';

/** The folder inside the archive that holds the files. */
export const CIFAR10_ARCHIVE_FOLDER = 'cifar-10-batches-bin';

/** Written last into a completed folder: what was downloaded, file sizes. */
export const CIFAR10_DOWNLOAD_MANIFEST = '.hourglass-download.json';

/** The files a download puts in the folder. */
export const CIFAR10_FILES: readonly string[] = [
  ...CIFAR10_TRAIN_FILES,
  CIFAR10_TEST_FILE,
  CIFAR10_META_FILE,
];

/** Bytes received so far, and the total when the server said it. */
export interface DownloadProgress {
  receivedBytes: number;
  totalBytes?: number;
}

/** Where to download from and to; only `cacheDir` is required. */
export interface DownloadCifar10Options {
  /** The folder the CIFAR-10 files end up in (created if needed). */
  cacheDir: string;
  /** Another source of the same archive; CIFAR10_URL by default. */
  url?: string;
  /** The archive's expected SHA-256; CIFAR10_ARCHIVE_SHA256 by default. */
  sha256?: string;
  /** Also checked when given (e.g. CIFAR10_ARCHIVE_MD5). */
  md5?: string;
  /** Called as bytes arrive; see createProgressPrinter for a terminal. */
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

/** The folder to read, and whether this call downloaded into it. */
export interface DownloadCifar10Result {
  dir: string;
  isDownloaded: boolean;
}

const Manifest = z.object({
  url: z.string(),
  sha256: z.string(),
  files: z.record(z.string(), z.number().int().nonnegative()),
});
type Manifest = z.output<typeof Manifest>;

/**
 * Makes sure `cacheDir` holds CIFAR-10 from the archive with the expected
 * checksum, downloading and unpacking it if not. A checksum mismatch or a
 * damaged archive is a DataFormatError; a download that breaks off or a
 * server error is an UnavailableError (worth retrying).
 */
export async function downloadCifar10(
  options: DownloadCifar10Options,
): Promise<DownloadCifar10Result> {
  const url = options.url ?? CIFAR10_URL;
  const sha256 = (options.sha256 ?? CIFAR10_ARCHIVE_SHA256).toLowerCase();
  const dir = options.cacheDir;

  if (await isCompleteDownload(dir, sha256)) return { dir, isDownloaded: false };

  const createdDir = await mkdir(dir, { recursive: true });
  // The work folder sits inside the cache so the final renames stay on
  // one file system; its name starts with a dot and it never outlives us.
  const work = await mkdtemp(join(dir, '.download-'));
  try {
    const archive = join(work, 'cifar-10-binary.tar.gz');
    const digests = await fetchToFile(url, archive, options);
    checkDigest(url, 'sha256', sha256, digests.sha256, digests.sizeBytes);
    if (options.md5 !== undefined) {
      checkDigest(url, 'md5', options.md5.toLowerCase(), digests.md5, digests.sizeBytes);
    }

    const unpacked = join(work, 'files');
    await mkdir(unpacked);
    await unpack(archive, unpacked);
    await install(unpacked, dir, { url, sha256, files: {} });
    return { dir, isDownloaded: true };
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    // A folder this call created is removed again if it stayed empty.
    if (createdDir !== undefined) await rmdir(dir).catch(() => undefined);
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Whether `dir` holds a finished download of the archive with `sha256`. */
export async function isCompleteDownload(dir: string, sha256: string): Promise<boolean> {
  let manifest: Manifest;
  try {
    const text = await readFile(join(dir, CIFAR10_DOWNLOAD_MANIFEST), 'utf8');
    manifest = Manifest.parse(JSON.parse(text));
  } catch {
    return false;
  }
  if (manifest.sha256 !== sha256.toLowerCase()) return false;

  // Sizes, not hashes: rehashing 180 MB on every run would cost a second,
  // and readCifar10 checks the records' layout as it reads them.
  for (const name of CIFAR10_FILES) {
    const sizeBytes = await stat(join(dir, name)).then(
      (stats) => stats.size,
      () => -1,
    );
    if (sizeBytes !== manifest.files[name]) return false;
  }
  return true;
}

async function fetchToFile(
  url: string,
  path: string,
  options: DownloadCifar10Options,
): Promise<{ sha256: string; md5: string; sizeBytes: number }> {
  const response = await fetch(url, { signal: options.signal }).catch((error: unknown) => {
    throw new UnavailableError(`download of ${url} failed: ${toError(error).message}`, {
      cause: error,
    });
  });
  if (!response.ok || response.body === null) {
    const message = `download of ${url} failed: HTTP ${response.status} ${response.statusText}`;
    // A server error may pass; a missing file will not.
    if (response.status >= 500) throw new UnavailableError(message);
    throw new DataFormatError(url, message);
  }

  const header = response.headers.get('content-length');
  const totalBytes = header === null ? undefined : Number(header);
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let receivedBytes = 0;
  const handle = await open(path, 'w');
  try {
    options.onProgress?.({ receivedBytes, totalBytes });
    for await (const chunk of response.body) {
      sha256.update(chunk);
      md5.update(chunk);
      await handle.write(chunk);
      receivedBytes += chunk.length;
      options.onProgress?.({ receivedBytes, totalBytes });
    }
  } catch (error) {
    throw new UnavailableError(
      `download of ${url} broke off after ${describeBytes(receivedBytes, totalBytes)}: ` +
        toError(error).message,
      { cause: error },
    );
  } finally {
    await handle.close();
  }

  if (totalBytes !== undefined && receivedBytes !== totalBytes) {
    throw new UnavailableError(
      `download of ${url} ended after ${describeBytes(receivedBytes, totalBytes)}`,
    );
  }
  return { sha256: sha256.digest('hex'), md5: md5.digest('hex'), sizeBytes: receivedBytes };
}

function describeBytes(receivedBytes: number, totalBytes: number | undefined): string {
  return totalBytes === undefined
    ? `${receivedBytes} bytes`
    : `${receivedBytes} of ${totalBytes} bytes`;
}

function checkDigest(
  url: string,
  algorithm: string,
  expected: string,
  actual: string,
  sizeBytes: number,
): void {
  if (expected === actual) return;
  throw new DataFormatError(
    url,
    `${algorithm} mismatch: expected ${expected}, got ${actual} for the ${sizeBytes} ` +
      'bytes received; the download is damaged or the URL serves another file',
  );
}

async function unpack(archive: string, into: string): Promise<void> {
  const wanted = new Set(CIFAR10_FILES);
  const written = await extractTarGz(archive, (name) => {
    const bare = name.startsWith(`${CIFAR10_ARCHIVE_FOLDER}/`)
      ? name.slice(CIFAR10_ARCHIVE_FOLDER.length + 1)
      : name;
    return wanted.has(bare) ? join(into, bare) : undefined;
  });

  const found = new Set(written.map((name) => name.split('/').pop()!));
  const missing = CIFAR10_FILES.filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw new DataFormatError(
      archive,
      `the archive lacks ${missing.join(', ')} (expected them under ${CIFAR10_ARCHIVE_FOLDER}/)`,
    );
  }
}

/** Moves the files into place, then writes the manifest that marks them complete. */
async function install(from: string, dir: string, manifest: Manifest): Promise<void> {
  // Any earlier manifest goes first, so a crash mid-way leaves a folder
  // that is not mistaken for a complete one.
  await rm(join(dir, CIFAR10_DOWNLOAD_MANIFEST), { force: true });
  for (const name of CIFAR10_FILES) {
    manifest.files[name] = (await stat(join(from, name))).size;
    await rename(join(from, name), join(dir, name));
  }
  const draft = join(from, CIFAR10_DOWNLOAD_MANIFEST);
  await writeFile(draft, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(draft, join(dir, CIFAR10_DOWNLOAD_MANIFEST));
}

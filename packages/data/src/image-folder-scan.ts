/**
 * Lists an ImageNet-style folder, `<root>/<class>/<image>`: the class
 * folders sorted by name give the class indices, and each class's image
 * files sorted by name give a stable order. Only names are kept (not
 * pixels), about 60 bytes an image, so a million-image folder costs tens
 * of megabytes to index.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

import { DataFormatError } from '@hourglass/common';

/** File name endings taken as images, compared without case. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png'];

/** Every image of a folder, with its class. */
export interface ImageFolderIndex {
  root: string;
  /** Class folder names, sorted; a label indexes this list. */
  classNames: string[];
  /** Paths relative to `root`, `<class>/<file>`, grouped by class. */
  files: string[];
  /** The class index of each file. */
  labels: Uint16Array;
}

const EXPECTED_LAYOUT =
  `expected <root>/<class>/<image> with images ending in ${IMAGE_EXTENSIONS.join(', ')}`;

/** The most classes a folder may have: labels are 16-bit. */
const MAX_CLASSES = 65_536;

/**
 * Indexes `root`. With `classNames` (a test folder read against its
 * training folder), every class folder must be one of those names, and
 * labels follow that list. A missing root, a root with no class folders,
 * and a class folder with no images are DataFormatErrors naming the
 * folder.
 */
export async function scanImageFolder(
  root: string,
  classNames?: readonly string[],
): Promise<ImageFolderIndex> {
  await checkIsFolder(root);

  const entries = await readdir(root, { withFileTypes: true });
  const folders: string[] = [];
  for (const entry of entries) {
    // Hidden folders (.git, .cache) are not classes.
    if (entry.name.startsWith('.')) continue;
    if (await isFolder(join(root, entry.name), entry)) folders.push(entry.name);
  }
  folders.sort(compareNames);
  if (folders.length === 0) {
    throw new DataFormatError(root, `no class folders: ${EXPECTED_LAYOUT}`);
  }
  if (folders.length > MAX_CLASSES) {
    throw new DataFormatError(root, `${folders.length} class folders; at most ${MAX_CLASSES}`);
  }

  const names = classNames ?? folders;
  const files: string[] = [];
  const labels: number[] = [];
  for (const folder of folders) {
    const label = names.indexOf(folder);
    if (label < 0) {
      throw new DataFormatError(
        join(root, folder),
        `class "${folder}" is not among the training folder's ${names.length} classes`,
      );
    }
    const images = await listImages(join(root, folder));
    for (const image of images) {
      files.push(`${folder}/${image}`);
      labels.push(label);
    }
  }

  return { root, classNames: [...names], files, labels: Uint16Array.from(labels) };
}

async function checkIsFolder(root: string): Promise<void> {
  const stats = await stat(root).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new DataFormatError(root, `image folder not found; ${EXPECTED_LAYOUT}`, {
        cause: error,
      });
    }
    throw error;
  });
  if (!stats.isDirectory()) {
    throw new DataFormatError(root, `expected an image folder, found a file; ${EXPECTED_LAYOUT}`);
  }
}

async function listImages(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const images = entries
    .filter((entry) => !entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .filter((name) => IMAGE_EXTENSIONS.includes(extname(name).toLowerCase()))
    .sort(compareNames);
  if (images.length === 0) {
    throw new DataFormatError(
      folder,
      `class folder holds no images (${IMAGE_EXTENSIONS.join(', ')})`,
    );
  }
  return images;
}

async function isFolder(
  path: string,
  entry: { isDirectory(): boolean; isSymbolicLink(): boolean },
): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  // A linked class folder counts; a dangling link does not.
  return stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}

/** Code-point order: the same on every machine, unlike localeCompare. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Where the CIFAR-10 files are: the dataset spec's `path`, else the
 * HOURGLASS_CIFAR10_DIR environment variable, else `data/cifar10` under the
 * current folder.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { DataFormatError } from '@hourglass/common';

/** The environment variable that names the CIFAR-10 folder. */
export const CIFAR10_DIR_ENV = 'HOURGLASS_CIFAR10_DIR';

/** The folder, relative to the current one, used when nothing names one. */
export const CIFAR10_DEFAULT_DIR = 'data/cifar10';

/** How a user names the folder, for error messages that say what to set. */
export const CIFAR10_DIR_HINT =
  `set the dataset spec's "path" or the ${CIFAR10_DIR_ENV} environment ` +
  `variable, or put the files in ./${CIFAR10_DEFAULT_DIR}`;

/** What `resolveCifar10Dir` reads instead of the process's own state. */
export interface ResolveCifar10DirOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Returns the absolute CIFAR-10 folder. A path given by the spec or the
 * environment is returned even if it does not exist (readCifar10 then says
 * so): falling through to another folder would silently train on data the
 * user did not name. Only the default is checked here, and if it is
 * missing too the DataFormatError names all three places.
 */
export function resolveCifar10Dir(
  specPath?: string,
  options: ResolveCifar10DirOptions = {},
): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();

  if (specPath !== undefined && specPath !== '') return resolve(cwd, specPath);
  const fromEnv = env[CIFAR10_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);

  const fallback = resolve(cwd, CIFAR10_DEFAULT_DIR);
  if (existsSync(fallback)) return fallback;
  throw new DataFormatError(
    fallback,
    `no CIFAR-10 folder: the dataset spec has no "path", ${CIFAR10_DIR_ENV} ` +
      `is not set, and the default ./${CIFAR10_DEFAULT_DIR} does not exist`,
  );
}

/**
 * The folder a download should fill: the same choice as resolveCifar10Dir
 * (spec path, environment, ./data/cifar10), except that the default need
 * not exist yet, since the download creates it.
 */
export function resolveCifar10DownloadDir(
  specPath?: string,
  options: ResolveCifar10DirOptions = {},
): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const fromEnv = env[CIFAR10_DIR_ENV];
  const named = [specPath, fromEnv].find((path) => path !== undefined && path !== '');
  return resolve(cwd, named ?? CIFAR10_DEFAULT_DIR);
}

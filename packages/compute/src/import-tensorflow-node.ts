/**
 * The one place that loads the optional native TensorFlow packages,
 * @tensorflow/tfjs-node (CPU) and @tensorflow/tfjs-node-gpu (CUDA).
 *
 * They are optionalDependencies: their install downloads libtensorflow,
 * which fails on machines without internet access, and npm then leaves the
 * package out. Both register the same 'tensorflow' backend with the same
 * JavaScript code; only the native library differs. So the rest of
 * Hourglass runs one code path for both, and only the package name here
 * depends on the choice.
 */
import { toError } from '@hourglass/common';
import { BackendUnavailableError } from './backend-unavailable-error.ts';

/** The backends that come from a tfjs-node package. */
export type NativeBackendName = 'tensorflow-gpu' | 'tensorflow';

/** The npm package that provides each native backend. */
export const NATIVE_BACKEND_PACKAGES: Readonly<
  Record<NativeBackendName, string>
> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/** What a loaded tfjs-node package says about itself. */
export interface LoadedNativeBackend {
  packageName: string;
  /** The tfjs-core version its @tensorflow/tfjs reports, if any. */
  coreVersion: string | undefined;
}

function readCoreVersion(loaded: unknown): string | undefined {
  const exports = (loaded as { default?: unknown }).default ?? loaded;
  const version = (exports as { version?: Record<string, unknown> }).version;
  const coreVersion = version?.['tfjs-core'];
  return typeof coreVersion === 'string' ? coreVersion : undefined;
}

function isPackageAbsent(error: Error, packageName: string): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    code === 'ERR_MODULE_NOT_FOUND' &&
    error.message.includes(`Cannot find package '${packageName}'`)
  );
}

/**
 * Imports the tfjs-node package for `backend`, which registers the
 * 'tensorflow' backend with tfjs-core. Throws BackendUnavailableError when
 * the package is absent or its native library fails to load.
 */
export async function importTensorflowNode(
  backend: NativeBackendName,
): Promise<LoadedNativeBackend> {
  const packageName = NATIVE_BACKEND_PACKAGES[backend];

  // The specifier is a variable so that TypeScript and bundlers do not
  // try to resolve a package that is allowed to be missing.
  let loaded: unknown;
  try {
    loaded = await import(packageName);
  } catch (thrown) {
    const error = toError(thrown);
    if (isPackageAbsent(error, packageName)) {
      throw new BackendUnavailableError(
        backend,
        'not-installed',
        `${packageName} is not installed`,
        error,
      );
    }
    throw new BackendUnavailableError(
      backend,
      'failed-to-load',
      `${packageName} failed to load: ${error.message}`,
      error,
    );
  }

  return { packageName, coreVersion: readCoreVersion(loaded) };
}

import { RunSpec, type RunSpecInput } from '@hourglass/specs';

import { createRun, type Database, type Run } from '../src/index.ts';

/** A small valid spec, parsed, as the API would store it. */
export function parsedSpec(overrides: Partial<RunSpecInput> = {}): RunSpec {
  return RunSpec.parse({
    model: { family: 'shallow-ae', channels: 4, kernelSize: 3, stride: 4 },
    imageSize: 16,
    schedule: { unit: 'steps', steps: 20 },
    ...overrides,
  });
}

/**
 * The runs one test file made, so that it deletes those and no others:
 * other test files may share the database at the same time.
 */
export class CreatedRuns {
  readonly ids: string[] = [];

  constructor(private readonly db: Database) {}

  /** Creates a queued run and remembers it for cleanup. */
  async create(spec: RunSpec = parsedSpec(), sweepId?: string): Promise<Run> {
    const run = await createRun(this.db, { spec, ...(sweepId ? { sweepId } : {}) });
    this.ids.push(run.id);
    return run;
  }

  /** Deletes every remembered run; metrics and checkpoints cascade. */
  async deleteAll(): Promise<void> {
    await this.db.run.deleteMany({ where: { id: { in: this.ids } } });
    this.ids.length = 0;
  }
}

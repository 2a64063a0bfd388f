import type { Sweep, SweepRunTally } from '@hourglass/db';
import { describeSweepStatus, SweepSpec } from '@hourglass/sweeps';
import { z } from 'zod';

import { RunStatusView } from './views.ts';

/** How many of a sweep's runs have each status; `held` queued ones wait for a slot. */
export const SweepCountsView = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  stopped_early: z.number().int(),
  held: z.number().int(),
});

/** A sweep as the API returns it. */
export const SweepView = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  status: z.enum(['queued', 'running', 'finished', 'cancelled']),
  runCount: z.number().int(),
  counts: SweepCountsView,
  maxConcurrent: z.number().int().nullable(),
  priority: z.number().int(),
  spec: SweepSpec,
  createdAt: z.iso.datetime(),
  cancelledAt: z.iso.datetime().nullable(),
});
export type SweepView = z.output<typeof SweepView>;

/** A newly stored sweep: the sweep and its runs' ids in release order. */
export const CreatedSweepView = SweepView.extend({ runIds: z.array(z.uuid()) });

/** One page of sweeps. */
export const SweepPageView = z.object({
  sweeps: z.array(SweepView),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** One run on a sweep's leaderboard. */
export const LeaderboardEntryView = z.object({
  /** 1 for the best; runs without a value have none. */
  rank: z.number().int().nullable(),
  runId: z.uuid(),
  name: z.string().nullable(),
  status: RunStatusView,
  step: z.number().int(),
  totalSteps: z.number().int().nullable(),
  /** The values of the sweep's varied parameters for this run. */
  parameters: z.record(z.string(), z.unknown()),
  /** The run's last value of the metric, and the step it is from. */
  value: z.number().nullable(),
  valueStep: z.number().int().nullable(),
  /** For an evaluation metric: the layer, area and method the value is from. */
  source: z.object({ layer: z.string(), area: z.string(), method: z.string() }).nullable(),
});
export type LeaderboardEntryView = z.output<typeof LeaderboardEntryView>;

/** A sweep with its runs ranked by a metric. */
export const SweepDetailView = SweepView.extend({
  leaderboard: z.object({
    metric: z.string(),
    mode: z.enum(['min', 'max']),
    entries: z.array(LeaderboardEntryView),
  }),
});

/** Shapes a stored sweep and its run counts for the API. */
export function toSweepView(sweep: Sweep, tally: SweepRunTally): SweepView {
  const { held, ...counts } = tally;
  return {
    id: sweep.id,
    name: sweep.name,
    status: describeSweepStatus(counts, sweep.cancelledAt !== null),
    runCount: Object.values(counts).reduce((sum, count) => sum + count, 0),
    counts: { ...counts, held },
    maxConcurrent: sweep.maxConcurrent,
    priority: sweep.priority,
    spec: sweep.spec as SweepView['spec'],
    createdAt: sweep.createdAt.toISOString(),
    cancelledAt: sweep.cancelledAt ? sweep.cancelledAt.toISOString() : null,
  };
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  createRun,
  recordCheckpoint,
  recordEvaluationResults,
  recordMetrics,
  startRun,
} from '@hourglass/db';
import { RunSpec } from '@hourglass/specs';

import { openTestApi, within, type TestApi } from './support.ts';

interface ServerSentEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

/** Reads a text/event-stream response and hands over its events one by one. */
class EventReader {
  private buffer = '';
  private readonly events: ServerSentEvent[] = [];
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** The next event with this name; earlier events of other names are skipped. */
  async next(name: string): Promise<ServerSentEvent> {
    for (;;) {
      const index = this.events.findIndex((event) => event.event === name);
      if (index >= 0) return this.events.splice(0, index + 1).at(-1)!;
      const { value, done } = await this.reader.read();
      if (done) throw new Error(`the stream ended before a ${name} event`);
      this.buffer += this.decoder.decode(value, { stream: true });
      const blocks = this.buffer.split('\n\n');
      this.buffer = blocks.pop() ?? '';
      for (const block of blocks) this.parse(block);
    }
  }

  private parse(block: string): void {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    const event = fields.get('event');
    const data = fields.get('data');
    if (!event || data === undefined) return;
    this.events.push({ event, id: fields.get('id'), data: JSON.parse(data) });
  }
}

let api: TestApi;
let baseUrl: string;

before(async () => {
  api = await openTestApi();
  baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
});

after(async () => {
  await api.close();
});

async function newRun() {
  const run = await createRun(api.db, { spec: RunSpec.parse({ model: { family: 'shallow-ae' } }) });
  api.track(run.id);
  return run;
}

describe('GET /v1/runs/:id/events', () => {
  test('pushes the run, new metric points, status changes and evaluations', async () => {
    const run = await newRun();
    await recordMetrics(api.db, run.id, [
      { name: 'loss/total', step: 0, value: 1 },
      { name: 'loss/total', step: 10, value: 0.9 },
    ]);
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/v1/runs/${run.id}/events?afterStep=0`, {
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const events = new EventReader(response.body!);

    try {
      const first = await within(events.next('run'), 5_000, 'the run event');
      assert.equal(first.data.status, 'queued');
      const backlog = await within(events.next('metrics'), 5_000, 'the backlog');
      assert.deepEqual(
        (backlog.data.points as { step: number }[]).map((point) => point.step),
        [10],
        'only points after afterStep',
      );
      assert.equal(backlog.id, '10');

      await startRun(api.db, run.id, {
        workerId: 'w1',
        backend: 'wasm',
        device: 'cpu',
        totalSteps: 100,
      });
      await recordMetrics(api.db, run.id, [
        { name: 'loss/total', step: 20, value: 0.8 },
        { name: 'learning_rate', step: 20, value: 0.001 },
      ]);
      const running = await within(events.next('run'), 5_000, 'the running event');
      assert.equal(running.data.status, 'running');
      const fresh = await within(events.next('metrics'), 5_000, 'the new points');
      assert.deepEqual(
        (fresh.data.points as { name: string }[]).map((point) => point.name).sort(),
        ['learning_rate', 'loss/total'],
      );

      const checkpoint = await recordCheckpoint(api.db, {
        runId: run.id,
        step: 20,
        location: 'runs/x/step-20.ckpt',
        sizeBytes: 10,
        sha256: 'a'.repeat(64),
      });
      const target = { runId: run.id, checkpointId: checkpoint.id, step: 20 };
      await recordEvaluationResults(api.db, target, 'linear-probe', [
        { layer: 'conv1', score: 0.42 },
      ]);
      const evaluations = await within(events.next('evaluations'), 5_000, 'the evaluations');
      const rows = evaluations.data.evaluations as { kind: string; score: number }[];
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.kind, 'linear-probe');
      assert.equal(rows[0]!.score, 0.42);
    } finally {
      controller.abort();
    }
  });

  test('answers 404 as JSON for an unknown run', async () => {
    const response = await fetch(`${baseUrl}/v1/runs/00000000-0000-4000-8000-000000000000/events`);

    assert.equal(response.status, 404);
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'HG_NOT_FOUND');
  });
});

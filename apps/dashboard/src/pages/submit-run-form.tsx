import { useState, type FormEvent } from 'react';

import { ApiError, fetchJson } from '../api/client.ts';
import type { Run } from '../api/types.ts';
import { navigate } from '../router.tsx';

/** A small run on generated data: trains in seconds on a laptop's CPU. */
const EXAMPLE_SPEC = {
  name: 'shallow AE from the dashboard',
  model: { family: 'shallow-ae', channels: 16, kernelSize: 7, stride: 16 },
  dataset: { kind: 'generated', seed: 0, trainSize: 1000, testSize: 100 },
  batchSize: 32,
  schedule: { unit: 'steps', steps: 300 },
  checkpointEverySteps: 100,
  metricsEverySteps: 5,
};

/**
 * Submits a run spec as JSON to POST /v1/runs and opens the new run's
 * page. The API validates the spec; its 400 names each failing field,
 * shown under the editor.
 */
export function SubmitRunForm() {
  const [text, setText] = useState(JSON.stringify(EXAMPLE_SPEC, null, 2));
  const [error, setError] = useState<string>();
  const [isSending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    let spec: unknown;
    try {
      spec = JSON.parse(text);
    } catch (parseError) {
      setError(`not valid JSON: ${(parseError as Error).message}`);
      return;
    }
    setSending(true);
    setError(undefined);
    try {
      const run = await fetchJson<Run>('/v1/runs', { method: 'POST', body: spec });
      navigate(`/runs/${run.id}`);
    } catch (submitError) {
      setError(submitError instanceof ApiError ? submitError.message : String(submitError));
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="submit-run" onSubmit={submit} aria-label="submit a run">
      <label htmlFor="run-spec">Run spec (JSON; every field but model.family has a default)</label>
      <textarea
        id="run-spec"
        name="spec"
        spellCheck={false}
        rows={14}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" disabled={isSending}>
        {isSending ? 'Submitting…' : 'Submit run'}
      </button>
      {error && (
        <pre className="error" role="alert">
          {error}
        </pre>
      )}
    </form>
  );
}

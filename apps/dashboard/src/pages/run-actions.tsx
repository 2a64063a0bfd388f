import { useState } from 'react';

import { fetchJson } from '../api/client.ts';
import type { Run } from '../api/types.ts';

/**
 * Cancel (a queued or running run) and retry (a failed or cancelled one,
 * which resumes from its last checkpoint). The page learns the new status
 * from the event stream; a refused action shows the API's message.
 */
export function RunActions({ run }: { run: Run }) {
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const canCancel = run.status === 'queued' || run.status === 'running';
  const canRetry = run.status === 'failed' || run.status === 'cancelled';

  async function act(action: 'cancel' | 'retry') {
    setBusy(true);
    setError(undefined);
    try {
      await fetchJson<Run>(`/v1/runs/${run.id}/${action}`, { method: 'POST' });
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="actions">
      <button type="button" disabled={!canCancel || isBusy} onClick={() => void act('cancel')}>
        Cancel
      </button>
      <button type="button" disabled={!canRetry || isBusy} onClick={() => void act('retry')}>
        Retry
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

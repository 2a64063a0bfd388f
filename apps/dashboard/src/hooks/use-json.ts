import { useCallback, useEffect, useState } from 'react';

import { fetchJson } from '../api/client.ts';

/** What a page knows about one API resource while it loads and refreshes. */
export interface JsonState<Body> {
  data: Body | undefined;
  error: Error | undefined;
  /** Fetches again now, e.g. after an action changed the resource. */
  reload(): void;
}

/**
 * Fetches an API path, again every `refreshMs` when given, and whenever the
 * path changes. A refresh that fails keeps the last good data and shows the
 * error beside it.
 */
export function useJson<Body>(path: string | undefined, refreshMs?: number): JsonState<Body> {
  const [data, setData] = useState<Body>();
  const [error, setError] = useState<Error>();
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((value) => value + 1), []);

  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    const load = () =>
      fetchJson<Body>(path, { signal: controller.signal }).then(
        (body) => {
          setData(body);
          setError(undefined);
        },
        (failure: Error) => {
          if (!controller.signal.aborted) setError(failure);
        },
      );
    void load();
    const timer = refreshMs ? setInterval(load, refreshMs) : undefined;
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [path, refreshMs, version]);

  return { data, error, reload };
}

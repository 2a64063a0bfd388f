import type { ApiErrorBody } from './types.ts';

/** An error answer from the API, with its code and the fields it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
  ) {
    const issues = body?.error.issues?.map((issue) => `${issue.path}: ${issue.message}`) ?? [];
    super([body?.error.message ?? `HTTP ${status}`, ...issues].join('\n'));
  }
}

/** Fetches JSON from the API (same origin), throwing ApiError on an error status. */
export async function fetchJson<Body>(
  path: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal } = {},
): Promise<Body> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, json as ApiErrorBody | undefined);
  return json as Body;
}

/** A query string from the defined values of an object. */
export function toQuery(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return '';
  return `?${new URLSearchParams(entries.map(([key, value]) => [key, String(value)]))}`;
}

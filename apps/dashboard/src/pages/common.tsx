import type { ReactNode } from 'react';

import type { RunStatus } from '../api/types.ts';

/** A run's or sweep's status as a coloured tag. */
export function StatusBadge({ status }: { status: RunStatus | string }) {
  return <span className={`status status-${status}`}>{status.replace('_', ' ')}</span>;
}

/** An error from the API, shown where the data it stopped would be. */
export function ErrorNote({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error.message}
    </p>
  );
}

/** A titled block of a page. */
export function Section(props: { title: string; children: ReactNode; id?: string }) {
  const { title, children, id } = props;
  return (
    <section className="section" id={id}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** A number in a table: a few significant digits, or a dash when there is none. */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/** A run's name, or the start of its id when it has none. */
export function runLabel(run: { id: string; name: string | null }): string {
  return run.name ?? run.id.slice(0, 8);
}

/** How long ago a time was, roughly. */
export function formatAge(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

import { useMemo, useState } from 'react';

import type { LeaderboardEntry } from '../api/types.ts';
import { Link } from '../router.tsx';
import { formatValue, runLabel, StatusBadge } from './common.tsx';

type SortKey = 'rank' | 'name' | 'status' | 'step' | 'value' | `param:${string}`;

function sortValue(entry: LeaderboardEntry, key: SortKey): string | number | null {
  if (key.startsWith('param:')) {
    const value = entry.parameters[key.slice('param:'.length)];
    if (value === undefined) return null;
    return typeof value === 'number' ? value : JSON.stringify(value);
  }
  if (key === 'name') return runLabel({ id: entry.runId, name: entry.name });
  return entry[key as 'rank' | 'status' | 'step' | 'value'];
}

/** Compares two cells; empty cells go last in both directions. */
function compareCells(a: string | number | null, b: string | number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/**
 * A sweep's runs as ranked by the API, re-sortable by any column (click a
 * heading; again to reverse): rank, name, status, step, the metric, or a
 * varied parameter.
 */
export function LeaderboardTable(props: { entries: LeaderboardEntry[]; metric: string }) {
  const [sort, setSort] = useState<{ key: SortKey; isDescending: boolean }>({
    key: 'rank',
    isDescending: false,
  });
  const parameterNames = useMemo(
    () => [...new Set(props.entries.flatMap((entry) => Object.keys(entry.parameters)))].sort(),
    [props.entries],
  );
  const rows = useMemo(() => {
    const sorted = [...props.entries].sort((a, b) => {
      const [left, right] = [sortValue(a, sort.key), sortValue(b, sort.key)];
      if (left === null || right === null) return compareCells(left, right);
      return sort.isDescending ? compareCells(right, left) : compareCells(left, right);
    });
    return sorted;
  }, [props.entries, sort]);

  const heading = (key: SortKey, label: string) => {
    const isActive = sort.key === key;
    const arrow = isActive ? (sort.isDescending ? ' ▼' : ' ▲') : '';
    return (
      <th
        key={key}
        aria-sort={isActive ? (sort.isDescending ? 'descending' : 'ascending') : 'none'}
      >
        <button
          type="button"
          className="sort"
          data-sort={key}
          onClick={() => setSort({ key, isDescending: isActive ? !sort.isDescending : false })}
        >
          {label}
          {arrow}
        </button>
      </th>
    );
  };

  return (
    <table className="leaderboard">
      <thead>
        <tr>
          {heading('rank', '#')}
          {heading('name', 'run')}
          {heading('status', 'status')}
          {heading('step', 'step')}
          {parameterNames.map((name) => heading(`param:${name}`, name))}
          {heading('value', props.metric)}
        </tr>
      </thead>
      <tbody>
        {rows.map((entry) => (
          <tr key={entry.runId} data-run-id={entry.runId}>
            <td>{entry.rank ?? '–'}</td>
            <td>
              <Link to={`/runs/${entry.runId}`}>
                {runLabel({ id: entry.runId, name: entry.name })}
              </Link>
            </td>
            <td>
              <StatusBadge status={entry.status} />
            </td>
            <td>{entry.step}</td>
            {parameterNames.map((name) => (
              <td key={name}>{formatParameter(entry.parameters[name])}</td>
            ))}
            <td className="value">{formatValue(entry.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function formatParameter(value: unknown): string {
  if (typeof value === 'number') return formatValue(value);
  return value === undefined ? '–' : typeof value === 'string' ? value : JSON.stringify(value);
}

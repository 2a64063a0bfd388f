// Workaround for Prisma's pg driver adapter used by the CLI's JS engine
// (prisma/prisma issue 27403): the adapter rejects columns of Postgres's
// internal `name` type (oid 19), which the migration engine's own catalog
// queries return, so `migrate deploy` fails with "Column type 'name' could
// not be deserialized". `name` is text for every purpose here, so this pg
// client relabels such columns as `text` (oid 25) before the adapter sees them.
import pg from 'pg';

const NAME_OID = 19;
const TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] };

function relabelNameColumns<Result>(result: Result): Result {
  const results = Array.isArray(result) ? result : [result];
  for (const each of results as QueryResultLike[]) {
    for (const field of each?.fields ?? []) {
      if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

/** A pg Client whose results report `name` columns as `text`. */
export class NameAsTextClient extends pg.Client {
  // pg's query has many overloads; this wrapper only rewrites results.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) =>
        last(error, error ? result : relabelNameColumns(result));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (super.query as any)(...args);
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const pending = (super.query as any)(...args);
    return typeof pending?.then === 'function' ? pending.then(relabelNameColumns) : pending;
  }
}

/** A pool for the Prisma CLI's adapter, built on NameAsTextClient. */
export function createCliPool(connectionString: string): pg.Pool {
  return new pg.Pool({ connectionString, Client: NameAsTextClient });
}

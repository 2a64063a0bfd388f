import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/client.ts';

/** The handle every database function takes as its first argument. */
export type Database = PrismaClient;

/** The database used when DATABASE_URL is not set: the local default. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/hourglass';

/**
 * Opens a Prisma client on Postgres through the pg driver adapter, so no
 * native query engine is needed (see the README's platform notes).
 */
export function createDatabase(url: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL) {
  const adapter = new PrismaPg({ connectionString: url });
  return new PrismaClient({ adapter });
}

/** Resolves when Postgres answers a trivial query; throws otherwise. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}

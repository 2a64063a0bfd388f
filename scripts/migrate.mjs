#!/usr/bin/env node
// Applies the committed migrations to DATABASE_URL, creating the database
// first when it does not exist yet. Works offline and online: see prisma.mjs.
import pg from 'pg';

import { prismaEnvironment, runPrisma } from './prisma.mjs';

async function ensureDatabase(connectionString) {
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
  } catch (error) {
    console.error(`cannot reach Postgres at ${url.host}: ${error.message}`);
    console.error('start it (README: "Services") or set DATABASE_URL');
    process.exit(1);
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

const env = prismaEnvironment();
await ensureDatabase(env.DATABASE_URL);
process.exit(runPrisma(['migrate', 'deploy']));

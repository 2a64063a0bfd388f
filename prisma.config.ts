// Prisma CLI configuration. Where the native engines are missing (see
// scripts/prisma.mjs) the CLI runs migrations through the pg driver adapter.
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

import { createCliPool } from './prisma/pg-name-as-text.ts';

const paths = {
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
};

export default process.env.HOURGLASS_PRISMA_OFFLINE === '1'
  ? defineConfig({
      ...paths,
      experimental: { adapter: true },
      engine: 'js',
      adapter: async () => new PrismaPg(createCliPool(process.env.DATABASE_URL ?? '')),
    })
  : defineConfig(paths);

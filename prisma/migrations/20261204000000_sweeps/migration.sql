-- Sweeps: runs stopped early by successive halving, the sweep's whole spec,
-- its limits and cancellation, and the runs it holds back until a slot is
-- free.

-- AlterEnum
-- The new value is not used in this migration, so adding it inside the
-- migration's transaction is allowed (Postgres 12 and later).
ALTER TYPE "RunStatus" ADD VALUE IF NOT EXISTS 'stopped_early';

-- AlterTable
ALTER TABLE "Sweep" ADD COLUMN "spec" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN "maxConcurrent" INTEGER,
ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 50,
ADD COLUMN "cancelledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Run" ADD COLUMN "sweepIndex" INTEGER,
ADD COLUMN "isHeld" BOOLEAN NOT NULL DEFAULT false;

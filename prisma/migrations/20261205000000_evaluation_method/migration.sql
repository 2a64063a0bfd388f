-- One evaluation can report several scores per layer and area: the tasks of
-- task generalization, the RDM levels of RSA, ridge and PLS neural fits.
ALTER TABLE "Evaluation" ADD COLUMN "method" TEXT NOT NULL DEFAULT '';

DROP INDEX "Evaluation_runId_step_kind_layer_area_key";

CREATE UNIQUE INDEX "Evaluation_runId_step_kind_layer_area_method_key" ON "Evaluation"("runId", "step", "kind", "layer", "area", "method");

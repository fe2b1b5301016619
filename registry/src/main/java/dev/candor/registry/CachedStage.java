package dev.candor.registry;

/**
 * A successful earlier stage run whose output can be reused.
 *
 * @param stageRunId the stage run that produced (or itself reused) the output
 * @param runId      its run
 * @param output     its output artifact, with registry id
 * @param summary    its summary line, or null when it had none
 */
public record CachedStage(String stageRunId, String runId, ArtifactRecord output, String summary) {
    public CachedStage {
        Require.text(stageRunId, "CachedStage.stageRunId");
        Require.text(runId, "CachedStage.runId");
        Require.present(output, "CachedStage.output");
        Require.text(output.id(), "CachedStage.output.id");
    }
}

package dev.candor.pipeline.exec;

import java.util.List;

/** The end of a run: its id, each stage's outcome in plan order, and the first failure if any. */
public record RunResult(String runId, boolean succeeded, List<StageOutcome> stages, long durationMs, String failure) {
    public RunResult {
        stages = List.copyOf(stages);
    }
}

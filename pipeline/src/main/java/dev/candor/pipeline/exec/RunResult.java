package dev.candor.pipeline.exec;

import dev.candor.pipeline.gate.GateOutcome;
import dev.candor.registry.RunStatus;
import java.util.List;

/**
 * The end of a run: its id and status, each stage's outcome in plan order, its gates, and why it did not succeed.
 *
 * @param status  SUCCEEDED, FAILED (a stage failed; gates not checked) or FAILED_GATES (a gate did not pass)
 * @param failure the first stage failure, or the gates that failed; null when the run succeeded
 * @param gates   each gate of the pipeline, in order, as decided; empty when it has none or a stage failed
 * @param endedElsewhere whether another process ended the run first (this process lost its lease while it was paused
 *                or cut off from the registry): the run keeps the status that process recorded (FAILED, "abandoned"),
 *                nothing this process did afterwards is recorded, and {@code failure} says so
 */
public record RunResult(String runId, RunStatus status, List<StageOutcome> stages, long durationMs, String failure,
                        List<GateOutcome> gates, boolean endedElsewhere) {
    public RunResult {
        stages = List.copyOf(stages);
        gates = List.copyOf(gates);
    }

    /** A run this process ended itself. */
    public RunResult(String runId, RunStatus status, List<StageOutcome> stages, long durationMs, String failure,
                     List<GateOutcome> gates) {
        this(runId, status, stages, durationMs, failure, gates, false);
    }

    /** Whether every stage succeeded and every gate passed. */
    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }
}

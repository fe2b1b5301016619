package dev.candor.registry;

import java.util.Optional;

/**
 * A write for a run that is no longer RUNNING was refused: the run has ended, and nothing more may be recorded in
 * it. Usually another process ended it because its lease expired (this process was paused, stalled or cut off from
 * the database for longer than the lease; see {@link Registry#failExpiredRuns}); the run's recorded status and error
 * say how it ended. This is the fence that keeps a worker that lost its run from writing over what replaced it.
 */
public final class RunEndedException extends IllegalStateException {
    private final String runId;
    private final RunStatus status;
    private final String error;

    RunEndedException(String runId, RunStatus status, String error, String refused) {
        super("run " + runId + " is " + status + (error == null ? "" : " (" + RegistryLimits.preview(error) + ")") + ": "
                + refused + " was refused, since a run that has ended cannot end twice or record anything more");
        this.runId = runId;
        this.status = status;
        this.error = error;
    }

    public String runId() {
        return runId;
    }

    /** How the run ended (FAILED when another process failed it as abandoned). */
    public RunStatus status() {
        return status;
    }

    /** The error the run ended with, such as the "abandoned: ..." line of the process that failed it. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }
}

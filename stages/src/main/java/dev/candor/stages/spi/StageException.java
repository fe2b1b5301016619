package dev.candor.stages.spi;

/** A stage failed; names the stage and the run so a user knows where to look and what to resume. */
public class StageException extends RuntimeException {
    private final String stageId;
    private final String runId;

    public StageException(String stageId, String runId, String message, Throwable cause) {
        super("stage '" + stageId + "' of run " + runId + " failed: " + message, cause);
        this.stageId = stageId;
        this.runId = runId;
    }

    public String stageId() {
        return stageId;
    }

    public String runId() {
        return runId;
    }
}

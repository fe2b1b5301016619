package dev.candor.pipeline.exec;

/** Receives a run's events as they happen (the CLI's progress display). Called from several threads. */
public interface RunListener {
    default void runStarted(String runId, int stages) { }

    default void stageStarted(String stageId, String type) { }

    default void stageProgress(String stageId, String unit, long done, long total) { }

    default void stageFinished(StageOutcome outcome) { }

    RunListener NONE = new RunListener() { };
}

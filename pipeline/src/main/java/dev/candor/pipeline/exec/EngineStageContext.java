package dev.candor.pipeline.exec;

import dev.candor.registry.MetricRecord;
import dev.candor.stages.spi.FindingSink;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.MetricSink;
import dev.candor.stages.spi.Progress;
import dev.candor.stages.spi.StageContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/** The {@link StageContext} the engine gives a stage: collects its metrics for the registry, forwards progress. */
final class EngineStageContext implements StageContext {
    private final String runId;
    private final String stageId;
    private final long seed;
    private final List<InputArtifact> inputs;
    private final Path outputDir;
    private final Path scratchDir;
    private final String runner;
    private final String device;
    private final Progress progress;
    private final List<MetricRecord> metrics = new ArrayList<>();

    EngineStageContext(String runId, String stageId, long seed, List<InputArtifact> inputs, Path outputDir, Path scratchDir,
                       String runner, String device, RunListener listener) {
        this.runId = runId;
        this.stageId = stageId;
        this.seed = seed;
        this.inputs = List.copyOf(inputs);
        this.outputDir = outputDir;
        this.scratchDir = scratchDir;
        this.runner = runner;
        this.device = device;
        this.progress = (unit, done, total) -> listener.stageProgress(stageId, unit, done, total);
    }

    @Override public String runId() { return runId; }
    @Override public String stageId() { return stageId; }
    @Override public long seed() { return seed; }
    @Override public List<InputArtifact> inputs() { return inputs; }
    @Override public Path outputDir() { return outputDir; }
    @Override public Path scratchDir() { return scratchDir; }
    @Override public PipelineOptions beamOptions() { return BeamRunners.options(runner); }
    @Override public String device() { return device; }
    @Override public Progress progress() { return progress; }

    @Override
    public MetricSink metrics() {
        return (name, value, split, slice) -> {
            synchronized (metrics) {
                metrics.add(new MetricRecord(name, value, split, slice));
            }
        };
    }

    /** A finding as the stage reported it; the driver stores these with the stage run. */
    record ReportedFinding(FindingSink.Severity severity, String code, String subject, String message) { }

    private final List<ReportedFinding> findings = new ArrayList<>();

    @Override
    public FindingSink findings() {
        return (severity, code, subject, message) -> {
            synchronized (findings) {
                findings.add(new ReportedFinding(severity, code, subject, message));
            }
        };
    }

    List<ReportedFinding> reportedFindings() {
        synchronized (findings) {
            return List.copyOf(findings);
        }
    }

    List<MetricRecord> recordedMetrics() {
        synchronized (metrics) {
            return List.copyOf(metrics);
        }
    }
}

package dev.candor.stages.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A plain {@link StageContext} for running one stage outside the engine: in tests, benchmarks and programs that
 * use a stage as a library. Beam runs on the embedded DirectRunner; metrics are kept in memory.
 */
public final class LocalStageContext implements StageContext {

    /** A metric recorded through {@link #metrics()}. */
    public record Metric(String name, double value, String split, String slice) { }

    /** A finding reported through {@link #findings()}. */
    public record Finding(FindingSink.Severity severity, String code, String subject, String message) { }

    private final String stageId;
    private final long seed;
    private final List<InputArtifact> inputs;
    private final Path outputDir;
    private final Path scratchDir;
    private final String device;
    private final List<Metric> recorded = new CopyOnWriteArrayList<>();
    private final List<Finding> findings = new CopyOnWriteArrayList<>();

    public LocalStageContext(String stageId, long seed, List<InputArtifact> inputs, Path outputDir, String device) {
        this.stageId = Objects.requireNonNull(stageId);
        this.seed = seed;
        this.inputs = List.copyOf(inputs);
        this.outputDir = outputDir;
        this.device = device == null ? "auto" : device;
        try {
            Files.createDirectories(outputDir);
            this.scratchDir = Files.createTempDirectory("candor-scratch-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Beam options for the embedded DirectRunner, shared by the engine's driver. */
    public static PipelineOptions directRunnerOptions() {
        PipelineOptions options = PipelineOptionsFactory.create();
        options.setRunner(DirectRunner.class);
        DirectOptions direct = options.as(DirectOptions.class);
        direct.setTargetParallelism(Math.max(1, Runtime.getRuntime().availableProcessors()));
        // Our DoFns hold no hidden state, so Beam's extra immutability checks would only cost time.
        direct.setEnforceEncodability(false);
        direct.setEnforceImmutability(false);
        direct.setBlockOnRun(true);
        return options;
    }

    @Override public String runId() { return "local"; }
    @Override public String stageId() { return stageId; }
    @Override public long seed() { return seed; }
    @Override public List<InputArtifact> inputs() { return inputs; }
    @Override public Path outputDir() { return outputDir; }
    @Override public Path scratchDir() { return scratchDir; }
    @Override public PipelineOptions beamOptions() { return directRunnerOptions(); }
    @Override public String device() { return device; }
    @Override public MetricSink metrics() { return (name, value, split, slice) -> recorded.add(new Metric(name, value, split, slice)); }
    @Override public FindingSink findings() { return (severity, code, subject, message) -> findings.add(new Finding(severity, code, subject, message)); }
    @Override public Progress progress() { return Progress.NONE; }

    /** Everything recorded so far, in order. */
    public List<Metric> recordedMetrics() {
        return new ArrayList<>(recorded);
    }

    /** Every finding reported so far, in order. */
    public List<Finding> reportedFindings() {
        return new ArrayList<>(findings);
    }
}

package dev.candor.pipeline.exec;

import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.DataPath;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Required;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Small, real stages for testing the driver: they read and write files and count how often they ran. */
final class EngineTestStages {
    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
    /** When set, stages of type test.meet wait here until both branches are inside run() at once. */
    static volatile CountDownLatch meeting;

    private EngineTestStages() {
    }

    static int runs(String stageId) {
        return RUNS.getOrDefault(stageId, new AtomicInteger()).get();
    }

    private static void count(StageContext ctx) {
        RUNS.computeIfAbsent(ctx.stageId(), k -> new AtomicInteger()).incrementAndGet();
    }

    record SourceConfig(@Required @DataPath String path, Integer add) { }

    /** Reads a number from a file, adds {@code add}, writes it: a DATASET. */
    static final class Source implements Stage<SourceConfig> {
        @Override public String type() { return "test.source"; }
        @Override public String description() { return "reads a number"; }
        @Override public Class<SourceConfig> configType() { return SourceConfig.class; }
        @Override public List<InputPort> inputs() { return List.of(); }
        @Override public ArtifactKind output() { return ArtifactKind.DATASET; }

        @Override
        public StageOutput run(SourceConfig config, StageContext ctx) throws Exception {
            count(ctx);
            long v = Long.parseLong(Files.readString(Path.of(config.path())).trim()) + (config.add() == null ? 0 : config.add());
            Files.writeString(ctx.outputDir().resolve("value.txt"), Long.toString(v));
            ctx.progress().update("rows", 1, 1);
            return new StageOutput("value " + v, Map.of("value", Long.toString(v)));
        }
    }

    record ScaleConfig(Integer factor, Boolean fail, Boolean diskFull) { }

    /** Multiplies its dataset's number: a MODEL; fails on request. */
    static final class Scale implements Stage<ScaleConfig> {
        @Override public String type() { return "test.scale"; }
        @Override public String description() { return "multiplies"; }
        @Override public Class<ScaleConfig> configType() { return ScaleConfig.class; }
        @Override public List<InputPort> inputs() { return List.of(InputPort.exactlyOne(ArtifactKind.DATASET, "the number")); }
        @Override public ArtifactKind output() { return ArtifactKind.MODEL; }

        @Override
        public StageOutput run(ScaleConfig config, StageContext ctx) throws Exception {
            count(ctx);
            if (Boolean.TRUE.equals(config.fail())) throw new IllegalStateException("asked to fail");
            if (Boolean.TRUE.equals(config.diskFull())) {
                // What a write into the staging directory meets on a full disk.
                throw new java.io.UncheckedIOException(new java.nio.file.FileSystemException(
                        ctx.outputDir().resolve("model.txt").toString(), null, "No space left on device"));
            }
            long v = Long.parseLong(Files.readString(ctx.input(ArtifactKind.DATASET).path().resolve("value.txt")));
            long out = v * (config.factor() == null ? 2 : config.factor());
            Files.writeString(ctx.outputDir().resolve("model.txt"), Long.toString(out));
            ctx.metrics().record("scaled", out, "train");
            return StageOutput.of("scaled to " + out);
        }
    }

    /** The start of a slice that test.report records when its note is set (a slice too long for the registry fails it). */
    static final String NOTE_SLICE = "note=";

    record ReportConfig(String note) { }

    /** Records its model's number as a test metric: an EVALUATION. */
    static final class Report implements Stage<ReportConfig> {
        @Override public String type() { return "test.report"; }
        @Override public String description() { return "reports"; }
        @Override public Class<ReportConfig> configType() { return ReportConfig.class; }
        @Override public List<InputPort> inputs() {
            return List.of(InputPort.exactlyOne(ArtifactKind.MODEL, "the model"), InputPort.exactlyOne(ArtifactKind.DATASET, "the data"));
        }
        @Override public ArtifactKind output() { return ArtifactKind.EVALUATION; }
        /** {@code never_recorded} is declared but never recorded: a gate on it passes validation and fails the run. */
        @Override public List<String> results(ReportConfig config) { return List.of("accuracy", "never_recorded"); }

        @Override
        public StageOutput run(ReportConfig config, StageContext ctx) throws Exception {
            count(ctx);
            ctx.findings().info("test.seed", null, "seeded from the pipeline");
            ctx.findings().warn("test.small", "group=b", "group b has 3 rows");
            long m = Long.parseLong(Files.readString(ctx.input(ArtifactKind.MODEL).path().resolve("model.txt")));
            long d = Long.parseLong(Files.readString(ctx.input(ArtifactKind.DATASET).path().resolve("value.txt")));
            ctx.metrics().record("accuracy", m / 1000.0, "test");
            ctx.metrics().record("confusion", d, "test", "actual=a,predicted=b");
            if (config.note() != null) ctx.metrics().record("noted", 1, "test", NOTE_SLICE + config.note());
            Files.writeString(ctx.outputDir().resolve("evaluation.json"), "{\"model\":" + m + ",\"seed\":" + ctx.seed() + "}");
            return StageOutput.of("model " + m + ", data " + d);
        }
    }

    /** When set, test.pause stages count {@code paused} down once they run, then wait for {@code resume}. */
    static volatile CountDownLatch paused;
    static volatile CountDownLatch resume;

    record PauseConfig(String label) { }

    /** Stands for a process that stops mid-stage (SIGSTOP, a long GC pause, a lost network) and later goes on. */
    static final class Pause implements Stage<PauseConfig> {
        @Override public String type() { return "test.pause"; }
        @Override public String description() { return "pauses"; }
        @Override public Class<PauseConfig> configType() { return PauseConfig.class; }
        @Override public List<InputPort> inputs() { return List.of(InputPort.exactlyOne(ArtifactKind.DATASET, "the number")); }
        @Override public ArtifactKind output() { return ArtifactKind.MODEL; }

        @Override
        public StageOutput run(PauseConfig config, StageContext ctx) throws Exception {
            count(ctx);
            paused.countDown();
            if (!resume.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("never resumed");
            long v = Long.parseLong(Files.readString(ctx.input(ArtifactKind.DATASET).path().resolve("value.txt")));
            Files.writeString(ctx.outputDir().resolve("model.txt"), Long.toString(v));
            return StageOutput.of("resumed");
        }
    }

    record MeetConfig(String label) { }

    /** Waits until another test.meet stage is running at the same time (proves independent stages run concurrently). */
    static final class Meet implements Stage<MeetConfig> {
        @Override public String type() { return "test.meet"; }
        @Override public String description() { return "meets"; }
        @Override public Class<MeetConfig> configType() { return MeetConfig.class; }
        @Override public List<InputPort> inputs() { return List.of(InputPort.exactlyOne(ArtifactKind.DATASET, "the number")); }
        @Override public ArtifactKind output() { return ArtifactKind.MODEL; }

        @Override
        public StageOutput run(MeetConfig config, StageContext ctx) throws Exception {
            count(ctx);
            CountDownLatch latch = meeting;
            latch.countDown();
            if (!latch.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("the other branch never ran alongside");
            Files.writeString(ctx.outputDir().resolve("model.txt"), "1");
            return StageOutput.of("met");
        }
    }
}

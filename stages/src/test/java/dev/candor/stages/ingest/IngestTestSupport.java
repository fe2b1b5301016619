package dev.candor.stages.ingest;

import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.MetricSink;
import dev.candor.stages.spi.Progress;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/** Shared helpers of the ingestion tests: copy a resource, run the stage, read a file the simple way. */
final class IngestTestSupport {

    private IngestTestSupport() {
    }

    /** Copies a class-path resource to {@code dir} and returns its absolute path (the binder hands the stage one). */
    static Path copyResource(String resource, Path dir) {
        try (InputStream in = IngestTestSupport.class.getResourceAsStream("/" + resource)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + resource);
            Path target = dir.resolve(Path.of(resource).getFileName().toString());
            Files.createDirectories(dir);
            Files.copy(in, target);
            return target.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code ingest.csv} on the real DirectRunner. */
    static StageOutput ingest(CsvIngestConfig config, long seed, Path out) throws Exception {
        return new CsvIngestStage().run(config, new LocalStageContext("data", seed, List.of(), out, "cpu"));
    }

    /** Runs {@code ingest.csv} with a context whose progress goes to {@code progress}. */
    static StageOutput ingest(CsvIngestConfig config, long seed, Path out, Progress progress) throws Exception {
        LocalStageContext local = new LocalStageContext("data", seed, List.of(), out, "cpu");
        StageContext context = new StageContext() {
            @Override public String runId() { return local.runId(); }
            @Override public String stageId() { return local.stageId(); }
            @Override public long seed() { return local.seed(); }
            @Override public List<InputArtifact> inputs() { return local.inputs(); }
            @Override public Path outputDir() { return local.outputDir(); }
            @Override public Path scratchDir() { return local.scratchDir(); }
            @Override public PipelineOptions beamOptions() { return local.beamOptions(); }
            @Override public String device() { return local.device(); }
            @Override public MetricSink metrics() { return local.metrics(); }
            @Override public dev.candor.stages.spi.FindingSink findings() { return local.findings(); }
            @Override public Progress progress() { return progress; }
        };
        return new CsvIngestStage().run(config, context);
    }

    static CsvIngestConfig config(Path csv, String label) {
        return new CsvIngestConfig(csv.toString(), label, null, null, null, null, null, null, null, null);
    }

    /** A quote-free CSV split on commas, independently of Commons CSV: the header, then the rows. */
    static List<String[]> readPlainCsv(Path csv) {
        try {
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) rows.add(line.split(",", -1));
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean and sample standard deviation, two-pass in plain doubles: an independent check of the exact sums. */
    static double[] meanAndStd(double[] xs) {
        double mean = Arrays.stream(xs).sum() / xs.length;
        double ss = 0;
        for (double x : xs) ss += (x - mean) * (x - mean);
        return new double[] {mean, Math.sqrt(ss / (xs.length - 1))};
    }
}

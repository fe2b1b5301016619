package dev.candor.stages.ingest;

import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Progress;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ingest.csv}: reads a CSV file with a header row into a dataset artifact, in one Beam pipeline.
 *
 * <ol>
 *   <li>Checks the header (not empty, unique names, data below it) and resolves the configured columns against it.
 *   <li>Parses the file keeping each row's line number; infers the types of undeclared columns (numeric when at
 *       least 95% of the non-empty values are numbers; the other values are then errors that say so).
 *   <li>Types every row; empty fields are reported, dropped or left for imputation, per {@code missing:}.
 *   <li>Splits stratified by label, from the stage seed; computes per-split statistics; imputes from the
 *       training split only.
 *   <li>Collects every problem (the first 20 and the count) and fails with one {@link DataException}; otherwise
 *       writes {@code schema.json}, {@code statistics.json} and {@code train.avro}, {@code validation.avro},
 *       {@code test.avro}, byte-identical for the same file and seed.
 * </ol>
 */
public final class CsvIngestStage implements Stage<CsvIngestConfig> {
    private static final Logger LOG = LoggerFactory.getLogger(CsvIngestStage.class);
    private static final Duration PROGRESS_INTERVAL = Duration.millis(250);

    @Override
    public String type() {
        return "ingest.csv";
    }

    @Override
    public String description() {
        return "Reads a CSV file (header row required) into a dataset with stratified train, validation and test splits";
    }

    @Override
    public Class<CsvIngestConfig> configType() {
        return CsvIngestConfig.class;
    }

    @Override
    public List<InputPort> inputs() {
        return List.of();
    }

    @Override
    public ArtifactKind output() {
        return ArtifactKind.DATASET;
    }

    @Override
    public List<String> results(CsvIngestConfig config) {
        return config.quasiIdentifiers().isEmpty() ? List.of() : List.of(PrivacyScan.K_ANONYMITY);
    }

    @Override
    public StageOutput run(CsvIngestConfig config, StageContext context) throws Exception {
        Path file = Path.of(config.path()).toAbsolutePath();
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new DataException(name, 0, null, null, "there is no such file: " + file + " — check `path:`");
        }
        char delimiter = config.delimiter().charAt(0);
        List<String> header = CsvFiles.readHeader(file, delimiter, config.encoding());
        ColumnLayout layout = ColumnLayout.of(name, header, config);
        PrivacyScan.check(name, header, config);
        String sha256 = CsvFiles.sha256(file);
        Path out = context.outputDir();
        LOG.debug("stage {} ingest.csv: file={} sha256={} seed={} config={} output={}",
                context.stageId(), file, sha256, context.seed(), config, out);

        DatasetDescription description = new DatasetDescription(layout, name, sha256, context.seed());
        StratifiedSplit split = new StratifiedSplit(config.split().validation(), config.split().test());
        PipelineOptions options = context.beamOptions();
        // Run without blocking so progress can be reported while it runs (other runners ignore DirectOptions).
        options.as(DirectOptions.class).setBlockOnRun(false);
        Pipeline pipeline = Pipeline.create(options);
        new IngestPipeline(file, delimiter, config.encoding(), layout, split, context.seed(), description, out).build(pipeline);
        runToCompletion(pipeline, context.progress());

        DatasetSchema schema = Datasets.readSchema(out);
        for (Split s : Split.values()) {
            // A split without rows gets no group in the pipeline; it still gets its (empty) file.
            if (!Files.exists(out.resolve(s.fileName()))) SplitWriter.write(out.toString(), s.label(), schema, List.of());
        }
        checkOutputs(out);
        PrivacyScan.report(PrivacyScan.run(file, delimiter, header, config), config, name, context.metrics(),
                context.findings());
        IngestStatistics stats = IngestStatistics.read(out);
        ConstantFeatures.report(schema, stats, name, context.findings());
        StageOutput result = summarize(schema, stats);
        LOG.debug("stage {} ingest.csv wrote {}: {}", context.stageId(), out, result.summary());
        return result;
    }

    /** Runs the pipeline, reporting rows read; a DataException thrown inside a DoFn comes out as itself. */
    private static void runToCompletion(Pipeline pipeline, Progress progress) {
        try {
            PipelineResult result = pipeline.run();
            PipelineResult.State state;
            do {
                state = result.waitUntilFinish(PROGRESS_INTERVAL);
                progress.update("rows", rowsRead(result), -1);
            } while (state == null || !state.isTerminal());
            if (state != PipelineResult.State.DONE) {
                throw new IllegalStateException("the ingestion pipeline ended in state " + state + " instead of DONE");
            }
        } catch (RuntimeException e) {
            // Beam wraps what a DoFn throws (PipelineExecutionException, UserCodeException): hand back the cause.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof DataException data) throw data;
                if (t.getCause() == t) break;
            }
            throw e;
        }
    }

    private static long rowsRead(PipelineResult result) {
        long rows = 0;
        MetricsFilter filter = MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named(ParseCsvFn.METRIC_NAMESPACE, ParseCsvFn.ROWS_READ)).build();
        for (MetricResult<Long> counter : result.metrics().queryMetrics(filter).getCounters()) {
            Long attempted = counter.getAttempted();
            if (attempted != null) rows += attempted;
        }
        return rows;
    }

    /** The executor checks its declared outputs before returning. */
    private static void checkOutputs(Path out) {
        List<String> expected = new ArrayList<>(List.of(Datasets.SCHEMA_FILE, Datasets.STATISTICS_FILE));
        for (Split s : Split.values()) expected.add(s.fileName());
        for (String f : expected) {
            if (!Files.isRegularFile(out.resolve(f))) {
                throw new IllegalStateException("ingest.csv finished without writing " + out.resolve(f)
                        + "; the dataset artifact needs " + String.join(", ", expected));
            }
        }
    }

    private static StageOutput summarize(DatasetSchema schema, IngestStatistics stats) {
        IngestStatistics.Rows rows = stats.rows();
        int features = schema.modelInputs().size();
        String summary = rows.read() + " rows" + (rows.dropped() > 0 ? " (" + rows.dropped() + " dropped)" : "")
                + " → train " + rows.train() + ", validation " + rows.validation() + ", test " + rows.test() + "; "
                + features + " feature" + (features == 1 ? "" : "s") + ", label '" + schema.label() + "' ("
                + schema.classes().size() + " classes)";
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", schema.source());
        metadata.put("sha256", schema.sha256());
        metadata.put("rows", Long.toString(rows.read()));
        metadata.put("rows.dropped", Long.toString(rows.dropped()));
        metadata.put("rows.train", Long.toString(rows.train()));
        metadata.put("rows.validation", Long.toString(rows.validation()));
        metadata.put("rows.test", Long.toString(rows.test()));
        metadata.put("features", Integer.toString(features));
        metadata.put("label", schema.label());
        metadata.put("classes", String.join(",", schema.classes()));
        return new StageOutput(summary, metadata);
    }
}

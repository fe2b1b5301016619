package dev.candor.stages.evaluate;

import dev.candor.explain.metrics.BootstrapIntervals;
import dev.candor.explain.metrics.ClassMetrics;
import dev.candor.explain.metrics.ClassificationMetrics;
import dev.candor.explain.metrics.ClassificationReport;
import dev.candor.explain.metrics.Interval;
import dev.candor.explain.metrics.Metric;
import dev.candor.gpu.session.Device;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.fairness.FairnessConfig;
import dev.candor.stages.fairness.FairnessResults;
import dev.candor.stages.fairness.GroupFairnessStep;
import dev.candor.stages.internal.BeamRuns;
import dev.candor.stages.internal.ModelInputs;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.MetricSink;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.ParDo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code evaluate}: scores one split of a dataset through an ONNX model in a Beam pipeline and measures the
 * predictions ({@link ClassificationMetrics}) with percentile bootstrap intervals seeded from the stage seed.
 *
 * <p>Writes {@code evaluation.json} and records to the registry: the headline metrics with {@code _ci_low} and
 * {@code _ci_high}, per-class precision, recall, F1 and support (slice {@code class=<name>}), and the confusion
 * matrix as metric {@code confusion} (slice {@code actual=<a>,predicted=<p>}). An undefined metric (ROC AUC on a
 * split holding one class) is not recorded; {@code evaluation.json} says why.
 */
public final class EvaluateStage implements Stage<EvaluateConfig> {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateStage.class);
    private static final String SCORED_PREFIX = "scored";

    @Override public String type() { return "evaluate"; }

    @Override public String description() {
        return "Scores a dataset split through the ONNX model and records classification metrics with bootstrap"
                + " confidence intervals";
    }

    @Override public Class<EvaluateConfig> configType() { return EvaluateConfig.class; }

    @Override public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.MODEL, "the model to evaluate"),
                InputPort.exactlyOne(ArtifactKind.DATASET, "the data to score"));
    }

    @Override public ArtifactKind output() { return ArtifactKind.EVALUATION; }

    /**
     * On the evaluated split with no slice: each headline metric with its bootstrap interval, and the fairness gaps
     * per protected attribute ({@link FairnessResults#NAMES}). A metric undefined for the data (ROC AUC of one class)
     * is not recorded, so a gate on it fails at run time saying so.
     */
    @Override public List<String> results(EvaluateConfig config) {
        List<String> names = new java.util.ArrayList<>();
        for (Metric m : Metric.values()) names.addAll(List.of(m.key(), m.key() + "_ci_low", m.key() + "_ci_high"));
        names.addAll(FairnessResults.NAMES);
        return List.copyOf(names);
    }

    @Override
    public StageOutput run(EvaluateConfig config, StageContext context) throws Exception {
        InputArtifact modelArtifact = context.input(ArtifactKind.MODEL);
        InputArtifact dataArtifact = context.input(ArtifactKind.DATASET);
        Path modelFile = modelArtifact.path().resolve(ModelMetadata.MODEL_FILE);
        Device device = Device.parse(context.device());

        // Opening the model once here checks the file and the device before Beam starts, and reads its metadata.
        ModelInputs.Probed probed = ModelInputs.probe(modelArtifact, device);
        ModelMetadata model = probed.metadata();
        String where = probed.where();
        List<String> classes = model.labels();
        DatasetSchema schema = Datasets.readSchema(dataArtifact.path());
        ModelInputs.checkCompatible(model, schema, modelArtifact, dataArtifact);
        if (config.positiveClass() != null && !classes.contains(config.positiveClass())) {
            throw new ConfigException("positive_class", "'" + config.positiveClass() + "' is not a class of model '"
                    + modelArtifact.producer() + "'; its classes are " + classes);
        }

        String split = config.split().label();
        Path splitFile = dataArtifact.path().resolve(config.split().fileName());
        if (!Files.isRegularFile(splitFile)) {
            throw new DataException(splitFile.toString(), 0, null, null, "dataset '" + dataArtifact.producer()
                    + "' has no " + split + " split file; evaluate another split (split: test, validation or train)");
        }
        long total = ScoredRows.count(splitFile);
        if (total == 0) {
            throw new DataException(splitFile.toString(), 0, null, null, "the " + split + " split of dataset '"
                    + dataArtifact.producer() + "' has no rows; evaluate another split or give it rows at ingestion");
        }
        LOG.debug("evaluate {}: model {} ({}), dataset {} split {} ({} rows), device {} on {}, config {}",
                context.stageId(), modelArtifact.producer(), modelArtifact.sha256(), dataArtifact.producer(), split,
                total, device, where, config);

        Path scored = context.scratchDir().resolve("scored");
        Files.createDirectories(scored);
        score(context, new ScoreRowsFn(modelFile, device.toString(), model, schema, config.batch(), splitFile),
                splitFile, schema, scored, total);

        List<ScoredRows.Scored> rows = ScoredRows.readAll(scored, SCORED_PREFIX);
        if (rows.size() != total) {
            throw new IllegalStateException("the " + split + " split holds " + total + " rows but " + rows.size()
                    + " came back scored");
        }
        context.progress().update("rows", rows.size(), total);

        int[] actual = new int[rows.size()];
        double[][] probabilities = new double[rows.size()][];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = rows.get(i).actual();
            float[] p = rows.get(i).probabilities();
            probabilities[i] = new double[p.length];
            for (int c = 0; c < p.length; c++) probabilities[i][c] = p[c];
        }
        String positive = config.positiveClass() != null
                ? config.positiveClass()
                : classes.get(ClassificationMetrics.leastFrequentClass(actual, classes.size()));
        ClassificationReport report = ClassificationMetrics.evaluate(actual, probabilities, classes, positive);
        Optional<BootstrapIntervals> intervals = config.bootstrap() == 0 ? Optional.empty()
                : Optional.of(ClassificationMetrics.bootstrap(actual, probabilities, classes, positive,
                        config.bootstrap(), config.confidence(), new SplittableRandom(context.seed())));

        record(context.metrics(), split, report, intervals);
        Optional<GroupFairnessStep.Measured> fairness = fairness(config, context, schema, dataArtifact, rows, actual,
                probabilities, classes, positive);
        Optional<ObjectNode> fairnessJson = fairness.map(GroupFairnessStep::toJson);
        Path out = context.outputDir().resolve(EvaluationJson.FILE);
        EvaluationJson.write(out, new EvaluationJson.Content(split,
                new EvaluationJson.Artifact(modelArtifact.producer(), modelArtifact.sha256()),
                new EvaluationJson.Artifact(dataArtifact.producer(), dataArtifact.sha256()),
                model.modelType(), where, config.positiveClass() != null ? "config" : "least frequent class of the split",
                report, intervals, context.seed(), rows, fairnessJson));
        if (!Files.isRegularFile(out)) throw new IllegalStateException("evaluate did not write " + out);

        String summary = summary(rows.size(), split, report, intervals)
                + fairness.map(f -> "; " + GroupFairnessStep.summary(f.report())).orElse("");
        LOG.debug("evaluate {}: {}; wrote {}", context.stageId(), summary, out);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("split", split);
        metadata.put("rows", Long.toString(rows.size()));
        metadata.put("positive_class", positive);
        metadata.put("device", where);
        for (Metric m : List.of(Metric.ACCURACY, Metric.ROC_AUC)) {
            if (!Double.isNaN(report.value(m))) metadata.put(m.key(), Double.toString(report.value(m)));
        }
        return new StageOutput(summary, metadata);
    }

    /**
     * Group fairness over the split's protected attributes, when the dataset has any: the rows' protected values
     * are read from the split file and joined to the scored rows by source row.
     */
    private static Optional<GroupFairnessStep.Measured> fairness(EvaluateConfig config, StageContext context,
            DatasetSchema schema, InputArtifact data, List<ScoredRows.Scored> scored, int[] actual,
            double[][] probabilities, List<String> classes, String positive) {
        String where = "the " + config.split().label() + " split of dataset '" + data.producer() + "'";
        if (schema.protectedAttributes().isEmpty()) {
            if (!config.fairness().equals(FairnessConfig.defaults())) {
                throw new ConfigException("fairness", "is configured, but " + where + " has no protected attribute;"
                        + " declare them at ingestion (protected: [sex, age]) or remove the fairness block");
            }
            return Optional.empty();
        }
        Map<Long, DatasetRow> bySourceRow = new HashMap<>();
        for (DatasetRow r : Datasets.readSplit(data.path(), config.split())) bySourceRow.put(r.sourceRow(), r);
        List<DatasetRow> aligned = new ArrayList<>(scored.size());
        for (ScoredRows.Scored s : scored) {
            DatasetRow r = bySourceRow.get(s.row());
            if (r == null) throw new IllegalStateException("scored source row " + s.row() + " is not in " + where);
            aligned.add(r);
        }
        // A seed of its own, so the fairness intervals do not share draws with the headline intervals.
        long seed = new SplittableRandom(context.seed()).split().nextLong();
        GroupFairnessStep.Measured measured = GroupFairnessStep.measure(config.fairness(), schema, aligned, actual,
                probabilities, classes, positive, config.bootstrap(), config.confidence(), seed, where);
        GroupFairnessStep.record(measured.report(), config.split().label(), context.metrics(), context.findings());
        return Optional.of(measured);
    }

    private static void score(StageContext context, ScoreRowsFn fn, Path splitFile, DatasetSchema schema, Path scored,
                              long total) {
        Pipeline pipeline = Pipeline.create(BeamRuns.watchedOptions(context));
        pipeline.apply("ReadSplit", AvroIO.readGenericRecords(Datasets.avroSchema(schema)).from(splitFile.toString()))
                .apply("EncodeAndScore", ParDo.of(fn))
                .setCoder(AvroCoder.of(ScoredRows.SCHEMA))
                .apply("WriteScored", AvroIO.writeGenericRecords(ScoredRows.SCHEMA)
                        .to(scored.resolve(SCORED_PREFIX).toString()).withSuffix(".avro"));
        BeamRuns.runWatched(pipeline, context, ScoreRowsFn.NAMESPACE, ScoreRowsFn.ROWS_COUNTER, "rows", total, "scoring");
    }

    private static void record(MetricSink sink, String split, ClassificationReport report,
                               Optional<BootstrapIntervals> intervals) {
        for (Metric m : Metric.values()) {
            double v = report.value(m);
            if (Double.isNaN(v)) continue;
            sink.record(m.key(), v, split);
            if (intervals.isPresent()) {
                Interval i = intervals.get().interval(m);
                if (i.resamples() > 0) {
                    sink.record(m.key() + "_ci_low", i.low(), split);
                    sink.record(m.key() + "_ci_high", i.high(), split);
                }
            }
        }
        for (ClassMetrics c : report.perClass()) {
            String slice = "class=" + c.name();
            sink.record("precision", c.precision(), split, slice);
            sink.record("recall", c.recall(), split, slice);
            sink.record("f1", c.f1(), split, slice);
            sink.record("support", c.support(), split, slice);
        }
        List<String> classes = report.classes();
        for (int a = 0; a < classes.size(); a++) {
            for (int p = 0; p < classes.size(); p++) {
                sink.record("confusion", report.confusion().count(a, p), split,
                        "actual=" + classes.get(a) + ",predicted=" + classes.get(p));
            }
        }
    }

    /** "114 test rows: accuracy 0.974, ROC AUC 0.996 [0.99, 1.00]". */
    static String summary(long rows, String split, ClassificationReport r, Optional<BootstrapIntervals> intervals) {
        StringBuilder sb = new StringBuilder();
        sb.append(rows).append(' ').append(split).append(" rows: accuracy ").append(fmt3(r.accuracy()));
        if (Double.isNaN(r.rocAuc())) {
            sb.append(", ROC AUC undefined (the split holds one class)");
        } else {
            sb.append(", ROC AUC ").append(fmt3(r.rocAuc()));
            intervals.map(b -> b.interval(Metric.ROC_AUC)).filter(i -> i.resamples() > 0).ifPresent(i ->
                    sb.append(" [").append(String.format(Locale.ROOT, "%.2f", i.low())).append(", ")
                            .append(String.format(Locale.ROOT, "%.2f", i.high())).append(']'));
        }
        return sb.toString();
    }

    private static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}

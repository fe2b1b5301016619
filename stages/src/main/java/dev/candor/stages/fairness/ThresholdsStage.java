package dev.candor.stages.fairness;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.explain.fairness.GroupThresholds;
import dev.candor.explain.fairness.GroupThresholds.Criterion;
import dev.candor.explain.fairness.Outcomes;
import dev.candor.explain.fairness.ProtectedAttribute;
import dev.candor.gpu.session.Device;
import dev.candor.stages.audit.RowScorer;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
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
import dev.candor.stages.train.TrainingLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code fairness.thresholds}: post-processing for group fairness (Hardt, Price, Srebro 2016, deterministic). Fits
 * one threshold per group of a protected attribute on the validation split with {@link GroupThresholds}, then
 * applies them to the test split, so the accuracy given up is measured on rows the thresholds never saw.
 *
 * <p>Records on each of {@code validation} (fit) and {@code test} (held out), with no slice:
 * {@code thresholds.gap_before}, {@code thresholds.gap_after} (max − min of the criterion rate over groups, at the
 * common 0.5 threshold and at the group thresholds), {@code thresholds.accuracy_before},
 * {@code thresholds.accuracy_after} and {@code thresholds.accuracy_cost} (before − after); and the threshold per
 * group as {@code thresholds.threshold} with slice {@code <attr>=<group>} (split validation). Writes
 * {@code thresholds.json}. The model itself is unchanged: the thresholds are a decision rule to deploy beside it.
 */
public final class ThresholdsStage implements Stage<ThresholdsConfig> {
    public static final String TYPE = "fairness.thresholds";
    public static final String FILE = "thresholds.json";
    static final double COMMON_THRESHOLD = 0.5;
    /** Below this many validation rows a group's threshold is flagged as fitted to few rows. */
    static final int SMALL_GROUP = 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RESULTS = List.of("thresholds.gap_before", "thresholds.gap_after",
            "thresholds.accuracy_before", "thresholds.accuracy_after", "thresholds.accuracy_cost");

    @Override public String type() { return TYPE; }

    @Override public String description() {
        return "Chooses group decision thresholds on the validation split that equalize a fairness criterion, and"
                + " measures their accuracy cost on the test split";
    }

    @Override public Class<ThresholdsConfig> configType() { return ThresholdsConfig.class; }

    @Override public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.MODEL, "the model whose decisions to adjust"),
                InputPort.exactlyOne(ArtifactKind.DATASET, "the data with validation and test splits"));
    }

    @Override public ArtifactKind output() { return ArtifactKind.EVALUATION; }

    @Override public List<String> results(ThresholdsConfig config) { return RESULTS; }

    @Override
    public StageOutput run(ThresholdsConfig config, StageContext context) throws Exception {
        InputArtifact modelArtifact = context.input(ArtifactKind.MODEL);
        InputArtifact data = context.input(ArtifactKind.DATASET);
        Device device = Device.parse(context.device());
        ModelInputs.Probed probed = ModelInputs.probe(modelArtifact, device);
        ModelMetadata model = probed.metadata();
        DatasetSchema schema = Datasets.readSchema(data.path());
        ModelInputs.checkCompatible(model, schema, modelArtifact, data);
        int fav = model.labels().indexOf(config.favourable());
        if (fav < 0) {
            throw new ConfigException("favourable", "'" + config.favourable() + "' is not a class of model '"
                    + modelArtifact.producer() + "'; its classes are " + model.labels());
        }
        String where = "dataset '" + data.producer() + "'";
        Side fit = side(Split.VALIDATION, data, schema, model, probed.file(), device, config, fav, where);
        Side test = side(Split.TEST, data, schema, model, probed.file(), device, config, fav, where);

        GroupThresholds.Result result = GroupThresholds.fit(fit.outcomes, fit.groups, config.criterion(),
                COMMON_THRESHOLD, config.tolerance());
        Map<String, Double> thresholds = new HashMap<>();
        for (GroupThresholds.GroupThreshold g : result.groups()) thresholds.put(g.group(), g.threshold());
        Applied held = apply(test, thresholds, config.criterion());

        MetricSink metrics = context.metrics();
        String v = Split.VALIDATION.label(), t = Split.TEST.label();
        record(metrics, v, result.gapBefore(), result.gapAfter(), result.accuracyBefore(), result.accuracyAfter());
        record(metrics, t, held.gapBefore, held.gapAfter, held.accuracyBefore, held.accuracyAfter);
        for (GroupThresholds.GroupThreshold g : result.groups()) {
            if (Double.isFinite(g.threshold())) {
                metrics.record("thresholds.threshold", g.threshold(), v, config.attribute() + "=" + g.group());
            } else {
                context.findings().warn("fairness.threshold_nobody", config.attribute() + "=" + g.group(),
                        "group " + config.attribute() + "=" + g.group() + " gets no favourable decision at all"
                                + " under the chosen thresholds (threshold +∞); a wider tolerance or the other"
                                + " criterion may serve it better");
            }
        }
        for (GroupThresholds.GroupThreshold g : result.groups()) {
            if (g.rows() < SMALL_GROUP) {
                context.findings().warn("fairness.threshold_small_group", config.attribute() + "=" + g.group(),
                        "group " + config.attribute() + "=" + g.group() + " has " + g.rows() + " validation rows,"
                                + " fewer than " + SMALL_GROUP + ": its threshold is fitted to few rows and may not"
                                + " hold on new data (compare the test gap in thresholds.json); give the validation"
                                + " split more rows");
            }
        }
        for (String note : result.notes()) context.findings().info("fairness.threshold_note", config.attribute(), note);

        Path out = context.outputDir().resolve(FILE);
        write(out, modelArtifact, data, config, result, held);
        if (!Files.isRegularFile(out)) throw new IllegalStateException(TYPE + " did not write " + out);
        String summary = String.format(Locale.ROOT, "%s over %s: gap %.3f → %.3f, accuracy %.3f → %.3f on %d test"
                + " rows (fitted on %d validation rows)", config.criterion().name().toLowerCase(Locale.ROOT)
                .replace('_', ' '), config.attribute(), held.gapBefore, held.gapAfter, held.accuracyBefore,
                held.accuracyAfter, test.outcomes.rows(), fit.outcomes.rows());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("criterion", config.criterion().name().toLowerCase(Locale.ROOT));
        metadata.put("attribute", config.attribute());
        return new StageOutput(summary, metadata);
    }

    private record Side(Outcomes outcomes, ProtectedAttribute groups) {
    }

    private static Side side(Split split, InputArtifact data, DatasetSchema schema, ModelMetadata model, Path file,
                             Device device, ThresholdsConfig config, int fav, String where) {
        Path path = data.path().resolve(split.fileName());
        List<DatasetRow> rows = Files.isRegularFile(path) ? Datasets.readSplit(data.path(), split) : List.of();
        if (rows.isEmpty()) {
            throw new DataException(path.toString(), 0, null, null, "the " + split.label() + " split of " + where
                    + " has no rows; group thresholds are fitted on the validation split and checked on the test"
                    + " split, so give both rows at ingestion (split: {validation: 0.1, ...})");
        }
        double[][] p = RowScorer.probabilities(file, device, model, schema, rows);
        String[] labels = TrainingLabels.names(schema, rows, path.toString());
        double[] scores = new double[rows.size()];
        for (int i = 0; i < scores.length; i++) scores[i] = Math.min(1.0, Math.max(0.0, p[i][fav]));
        Outcomes outcomes = Outcomes.ofScores(Arrays.asList(labels), scores, COMMON_THRESHOLD, config.favourable());
        ProtectedAttribute groups = ProtectedGroups.single(schema, config.attribute(), config.bins(), rows,
                "the " + split.label() + " split of " + where);
        return new Side(outcomes, groups);
    }

    private record Applied(double gapBefore, double gapAfter, double accuracyBefore, double accuracyAfter) {
    }

    /** The thresholds applied to held-out rows; a group unseen in validation keeps the common threshold. */
    static Applied apply(Side side, Map<String, Double> thresholds, Criterion criterion) {
        boolean[] y = side.outcomes.actual();
        double[] s = side.outcomes.scores();
        int[] codes = side.groups.codes();
        int groups = side.groups.groups().size();
        long[] denom = new long[groups], before = new long[groups], after = new long[groups];
        long correctBefore = 0, correctAfter = 0;
        for (int i = 0; i < y.length; i++) {
            double t = thresholds.getOrDefault(side.groups.groups().get(codes[i]), COMMON_THRESHOLD);
            boolean pb = s[i] >= COMMON_THRESHOLD, pa = s[i] >= t;
            if (pb == y[i]) correctBefore++;
            if (pa == y[i]) correctAfter++;
            if (criterion == Criterion.DEMOGRAPHIC_PARITY || y[i]) {
                denom[codes[i]]++;
                if (pb) before[codes[i]]++;
                if (pa) after[codes[i]]++;
            }
        }
        return new Applied(gap(before, denom), gap(after, denom), (double) correctBefore / y.length,
                (double) correctAfter / y.length);
    }

    private static double gap(long[] hits, long[] denom) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int g = 0; g < hits.length; g++) {
            if (denom[g] == 0) continue;
            double r = (double) hits[g] / denom[g];
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        return max >= min ? max - min : Double.NaN;
    }

    private static void record(MetricSink m, String split, double gapBefore, double gapAfter, double accBefore,
                               double accAfter) {
        if (!Double.isNaN(gapBefore)) m.record("thresholds.gap_before", gapBefore, split);
        if (!Double.isNaN(gapAfter)) m.record("thresholds.gap_after", gapAfter, split);
        m.record("thresholds.accuracy_before", accBefore, split);
        m.record("thresholds.accuracy_after", accAfter, split);
        m.record("thresholds.accuracy_cost", accBefore - accAfter, split);
    }

    private static void write(Path file, InputArtifact model, InputArtifact data, ThresholdsConfig config,
                              GroupThresholds.Result r, Applied held) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("model").put("producer", model.producer()).put("sha256", model.sha256());
        root.putObject("dataset").put("producer", data.producer()).put("sha256", data.sha256());
        root.put("attribute", config.attribute());
        root.put("favourable", config.favourable());
        root.put("criterion", config.criterion().name().toLowerCase(Locale.ROOT));
        root.put("definition", r.definition());
        root.put("common_threshold", r.commonThreshold());
        ArrayNode groups = root.putArray("groups");
        for (GroupThresholds.GroupThreshold g : r.groups()) {
            ObjectNode n = groups.addObject();
            n.put("group", g.group());
            n.put("validation_rows", g.rows());
            if (Double.isFinite(g.threshold())) n.put("threshold", g.threshold()); else n.putNull("threshold");
            number(n, "rate_before", g.rateBefore());
            number(n, "rate_after", g.rateAfter());
        }
        ObjectNode fit = root.putObject("validation");
        number(fit, "gap_before", r.gapBefore());
        number(fit, "gap_after", r.gapAfter());
        fit.put("accuracy_before", r.accuracyBefore());
        fit.put("accuracy_after", r.accuracyAfter());
        fit.put("accuracy_cost", r.accuracyCost());
        ObjectNode test = root.putObject("test");
        number(test, "gap_before", held.gapBefore);
        number(test, "gap_after", held.gapAfter);
        test.put("accuracy_before", held.accuracyBefore);
        test.put("accuracy_after", held.accuracyAfter);
        test.put("accuracy_cost", held.accuracyBefore - held.accuracyAfter);
        ArrayNode notes = root.putArray("notes");
        r.notes().forEach(notes::add);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        JSON.writer(printer).writeValue(file.toFile(), root);
    }

    private static void number(ObjectNode node, String key, double v) {
        if (Double.isNaN(v)) node.putNull(key); else node.put(key, v);
    }
}

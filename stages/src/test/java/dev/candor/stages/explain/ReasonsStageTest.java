package dev.candor.stages.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.CsvIngestStage;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.LocalStageContext.Metric;
import dev.candor.stages.spi.StageCatalog;
import dev.candor.stages.spi.StageOutput;
import dev.candor.stages.train.Algorithm;
import dev.candor.stages.train.TribuoTrainConfig;
import dev.candor.stages.train.TribuoTrainStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain.reasons} end to end on the credit-risk example's own data (ingested as its pipeline does), models
 * trained by {@code train.tribuo}, scored and explained through ONNX Runtime.
 */
class ReasonsStageTest {
    private static final long SEED = 7;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CSV = Path.of("../examples/credit-risk/data/german_credit.csv");
    private static final Map<String, String> STATEMENTS = Map.of(
            "duration", "Loan duration is too long",
            "checking_status", "Checking account balance is too low");

    @TempDir static Path dir;
    static InputArtifact data;
    static InputArtifact lr;
    static InputArtifact xgb;

    @BeforeAll
    static void artifacts() throws Exception {
        Path dataDir = dir.resolve("data");
        Map<String, ColumnType> numeric = Map.of("installment_commitment", ColumnType.NUMERIC, "residence_since",
                ColumnType.NUMERIC, "existing_credits", ColumnType.NUMERIC, "num_dependents", ColumnType.NUMERIC);
        new CsvIngestStage().run(new CsvIngestConfig(CSV.toAbsolutePath().toString(), "class", numeric, null,
                List.of("sex", "age"), List.of("personal_status"), null, null, null, null),
                new LocalStageContext("data", SEED, List.of(), dataDir, "cpu"));
        data = new InputArtifact("data", ArtifactKind.DATASET, dataDir, "sha-data", Map.of());
        lr = train("lr", TribuoTrainConfig.defaults(Algorithm.LOGISTIC_REGRESSION));
        xgb = train("xgb", new TribuoTrainConfig(Algorithm.XGBOOST, null, null, null, 3, null, 30, null, null,
                null, null, null));
    }

    private static InputArtifact train(String id, TribuoTrainConfig config) throws Exception {
        Path out = dir.resolve(id);
        new TribuoTrainStage().run(config, new LocalStageContext(id, SEED, List.of(data), out, "cpu"));
        return new InputArtifact(id, ArtifactKind.MODEL, out, "sha-" + id, Map.of());
    }

    private static ReasonsConfig config(String adverse, Double threshold, Integer rows, ShapConfig.Method method) {
        return new ReasonsConfig(adverse, threshold, null, STATEMENTS, null, rows, method, 20, null, null);
    }

    private static LocalStageContext run(String name, InputArtifact model, ReasonsConfig config) throws Exception {
        LocalStageContext ctx = new LocalStageContext("reasons", SEED, List.of(model, data), dir.resolve(name), "cpu");
        StageOutput out = new ReasonsStage().run(config, ctx);
        System.out.println("explain.reasons " + name + ": " + out.summary());
        return ctx;
    }

    private static JsonNode json(LocalStageContext ctx) throws Exception {
        return JSON.readTree(ctx.outputDir().resolve(ReasonsJson.FILE).toFile());
    }

    /** P(class) for every test row, computed here: the row encoded with the model's encoder, ONNX Runtime. */
    private static Map<Long, Double> probabilities(InputArtifact model, String adverse) throws Exception {
        DatasetSchema schema = Datasets.readSchema(data.path());
        Map<Long, Double> out = new HashMap<>();
        try (OnnxPredictor p = OnnxPredictor.open(model.path().resolve(ModelMetadata.MODEL_FILE),
                OnnxPredictor.Options.of("features", "probabilities"))) {
            ModelMetadata meta = ModelMetadata.fromProperties(p.metadata());
            int k = meta.labels().indexOf(adverse);
            for (DatasetRow r : Datasets.readSplit(data.path(), Split.TEST)) {
                out.put(r.sourceRow(), (double) p.predict(new float[][] {encode(meta.encoder(), schema, r)})[0][k]);
            }
        }
        return out;
    }

    private static float[] encode(FeatureEncoder encoder, DatasetSchema schema, DatasetRow r) {
        float[] x = new float[encoder.width()];
        encoder.encode(r.values(), encoder.columnIndexes(schema), x);
        return x;
    }

    /** Reasons are positive toward the adverse class, strongest first, ranked 1.., at most {@code top}. */
    private static void checkRanked(JsonNode json, int top) {
        for (JsonNode row : json.get("rows")) {
            JsonNode reasons = row.get("reasons");
            assertThat(reasons.size()).as("row %s", row.get("row")).isBetween(1, top);
            double previous = Double.POSITIVE_INFINITY;
            for (int i = 0; i < reasons.size(); i++) {
                JsonNode r = reasons.get(i);
                assertThat(r.get("rank").asInt()).isEqualTo(i + 1);
                assertThat(r.get("contribution").asDouble()).as("row %s %s", row.get("row"), r.get("feature"))
                        .isPositive().isLessThanOrEqualTo(previous);
                previous = r.get("contribution").asDouble();
                String expected = STATEMENTS.get(r.get("feature").asText());
                if (expected != null) assertThat(r.get("statement").asText()).isEqualTo(expected);
                else assertThat(r.get("statement").asText()).startsWith(r.get("feature").asText() + " moved 'bad' up by");
            }
        }
    }

    @Test
    void treeReasonsArePositiveDescendingAndOnlyForAdverseRows() throws Exception {
        LocalStageContext ctx = run("tree", xgb, config("bad", null, null, null));
        JsonNode json = json(ctx);
        assertThat(json.get("method").asText()).isEqualTo("tree");
        assertThat(json.get("output_space").asText()).isEqualTo("raw_score");
        assertThat(json.get("note").asText()).contains("TreeSHAP", "raw score", "Only features that pushed");
        checkRanked(json, ReasonsConfig.DEFAULT_TOP);

        // The adverse rows are exactly those with P(bad) >= 0.5, as scored here; rows below get no reasons.
        Map<Long, Double> p = probabilities(xgb, "bad");
        Set<Long> listed = new HashSet<>();
        for (JsonNode row : json.get("rows")) {
            listed.add(row.get("row").asLong());
            assertThat(row.get("p_adverse").asDouble()).isCloseTo(p.get(row.get("row").asLong()), within(1e-6));
            // Two classes under a softmax: the explained score is s_bad - s_good, whose logistic is P(bad).
            double score = row.get("score").asDouble();
            assertThat(1 / (1 + Math.exp(-score))).isCloseTo(row.get("p_adverse").asDouble(), within(1e-5));
        }
        assertThat(json.get("note").asText()).contains("difference between");
        Set<Long> expected = new HashSet<>();
        p.forEach((row, q) -> { if (q >= 0.5) expected.add(row); });
        assertThat(listed).isEqualTo(expected).isNotEmpty();
        assertThat(json.get("decided_rows").asInt()).isEqualTo(p.size());

        Map<String, Double> metrics = new HashMap<>();
        Map<String, Double> frequency = new HashMap<>();
        for (Metric m : ctx.recordedMetrics()) {
            if (m.slice() == null) metrics.put(m.name(), m.value());
            else frequency.put(m.slice().substring("feature=".length()), m.value());
        }
        assertThat(metrics).containsEntry("reasons.adverse_rows", (double) expected.size())
                .containsEntry("reasons.rows", (double) p.size());
        Map<String, Integer> counted = new HashMap<>();
        for (JsonNode row : json.get("rows")) for (JsonNode r : row.get("reasons")) counted.merge(r.get("feature").asText(), 1, Integer::sum);
        assertThat(frequency).hasSize(json.get("reason_frequency").size());
        frequency.forEach((f, share) -> assertThat(share).as(f)
                .isCloseTo(counted.getOrDefault(f, 0) / (double) expected.size(), within(1e-12)));

        // A stricter threshold leaves fewer adverse rows, each at or above it.
        JsonNode strict = json(run("tree-strict", xgb, config("bad", 0.7, null, null)));
        assertThat(strict.get("rows").size()).isLessThan(expected.size())
                .isEqualTo((int) p.values().stream().filter(q -> q >= 0.7).count());
        for (JsonNode row : strict.get("rows")) assertThat(row.get("p_adverse").asDouble()).isGreaterThanOrEqualTo(0.7);
    }

    @Test
    void logisticRegressionReasonsAreTheTopPositiveLinearShapTerms() throws Exception {
        JsonNode json = json(run("linear", lr, config("bad", null, null, null)));
        assertThat(json.get("method").asText()).isEqualTo("linear");
        assertThat(json.get("output_space").asText()).isEqualTo("log_odds");
        checkRanked(json, ReasonsConfig.DEFAULT_TOP);
        assertThat(json.get("rows").size()).isPositive();

        // Independently: the weights by finite differences of the log-odds at each row itself, the means of the
        // encoded train split, w_i (x_i - mean_i) summed per source column, the positive ones largest first.
        DatasetSchema schema = Datasets.readSchema(data.path());
        Map<Long, DatasetRow> test = new HashMap<>();
        for (DatasetRow r : Datasets.readSplit(data.path(), Split.TEST)) test.put(r.sourceRow(), r);
        try (OnnxPredictor p = OnnxPredictor.open(lr.path().resolve(ModelMetadata.MODEL_FILE),
                OnnxPredictor.Options.of("features", "probabilities"))) {
            ModelMetadata meta = ModelMetadata.fromProperties(p.metadata());
            FeatureEncoder encoder = meta.encoder();
            int bad = meta.labels().indexOf("bad");
            int width = encoder.width();
            double[] means = new double[width];
            List<DatasetRow> train = Datasets.readSplit(data.path(), Split.TRAIN);
            for (DatasetRow r : train) {
                float[] x = encode(encoder, schema, r);
                for (int j = 0; j < width; j++) means[j] += x[j] / (double) train.size();
            }
            for (JsonNode row : json.get("rows")) {
                float[] x = encode(encoder, schema, test.get(row.get("row").asLong()));
                float[][] steps = new float[width + 1][];
                steps[0] = x;
                for (int j = 0; j < width; j++) {
                    steps[j + 1] = x.clone();
                    steps[j + 1][j] += 1f;
                }
                float[][] q = p.predict(steps);
                double at = logit(q[0][bad]);
                Map<String, Double> perColumn = new LinkedHashMap<>();
                for (int j = 0; j < width; j++) {
                    double w = logit(q[j + 1][bad]) - at;
                    perColumn.merge(encoder.features().get(j).column(), w * (x[j] - means[j]), Double::sum);
                }
                List<Map.Entry<String, Double>> expected = new ArrayList<>(perColumn.entrySet().stream()
                        .filter(e -> e.getValue() > 0).toList());
                expected.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
                expected = expected.subList(0, Math.min(ReasonsConfig.DEFAULT_TOP, expected.size()));
                JsonNode reasons = row.get("reasons");
                assertThat(reasons.size()).as("row %s", row.get("row")).isEqualTo(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(reasons.get(i).get("feature").asText()).as("row %s rank %d", row.get("row"), i + 1)
                            .isEqualTo(expected.get(i).getKey());
                    assertThat(reasons.get(i).get("contribution").asDouble()).isCloseTo(expected.get(i).getValue(),
                            within(1e-3));
                }
            }
        }
    }

    private static double logit(double p) {
        return Math.log(p) - Math.log1p(-p);
    }

    @Test
    void theSameSeedGivesTheSameBytes() throws Exception {
        // KernelSHAP on a sample of the split: both the sample and the coalitions come from the seed.
        ReasonsConfig kernel = config("bad", null, 40, ShapConfig.Method.KERNEL);
        LocalStageContext a = run("kernel-a", lr, kernel);
        LocalStageContext b = run("kernel-b", lr, kernel);
        JsonNode json = json(a);
        assertThat(json.get("method").asText()).isEqualTo("kernel");
        assertThat(json.get("output_space").asText()).isEqualTo("probability");
        assertThat(json.get("decided_rows").asInt()).isEqualTo(40);
        assertThat(json.get("rows").size()).isPositive();
        checkRanked(json, ReasonsConfig.DEFAULT_TOP);
        assertThat(Files.readAllBytes(a.outputDir().resolve(ReasonsJson.FILE)))
                .isEqualTo(Files.readAllBytes(b.outputDir().resolve(ReasonsJson.FILE)));
        LocalStageContext t1 = run("tree-a", xgb, config("bad", null, 60, null));
        LocalStageContext t2 = run("tree-b", xgb, config("bad", null, 60, null));
        assertThat(Files.readAllBytes(t1.outputDir().resolve(ReasonsJson.FILE)))
                .isEqualTo(Files.readAllBytes(t2.outputDir().resolve(ReasonsJson.FILE)));
    }

    @Test
    void anUnknownAdverseClassOrStatementColumnIsAConfigErrorWithASuggestion() {
        assertThatThrownBy(() -> run("typo", xgb, config("bda", null, null, null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'bda' is not a class of model 'xgb'")
                .hasMessageContaining("did you mean 'bad'? (one of: ");
        assertThatThrownBy(() -> run("far", xgb, config("rejected", null, null, null)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("write one of: ");
        assertThatThrownBy(() -> run("statement", xgb, new ReasonsConfig("bad", null, null,
                Map.of("duraton", "Loan duration is too long"), null, null, null, null, null, null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("column 'duraton'").hasMessageContaining("did you mean 'duration'?");
        assertThatThrownBy(() -> new ReasonsConfig(null, null, null, null, null, null, null, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("adverse_class: bad");
        assertThatThrownBy(() -> new ReasonsConfig("bad", 1.5, null, null, null, null, null, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("(0, 1], got 1.5");
    }

    @Test
    void theStageIsInTheCatalog() {
        assertThat(StageCatalog.load().find(ReasonsStage.TYPE)).isPresent();
        assertThat(new ReasonsStage().results(ReasonsConfig.of("bad")))
                .containsExactly("reasons.adverse_rows", "reasons.rows");
    }
}

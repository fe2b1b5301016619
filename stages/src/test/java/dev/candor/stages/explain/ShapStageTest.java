package dev.candor.stages.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.CsvIngestStage;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain.shap} end to end on real artifacts: the breast-cancer CSV ingested by {@code ingest.csv}, models
 * trained by {@code train.tribuo}, explained on the DirectRunner through ONNX Runtime.
 */
class ShapStageTest {
    private static final long SEED = 20261123L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Efficiency, to the tolerance the task sets: float model outputs summed in double. */
    private static final double EFFICIENCY = 1e-4;

    @TempDir static Path dir;
    static InputArtifact data;
    static InputArtifact lr;
    static InputArtifact cart;
    static InputArtifact xgboost;

    @BeforeAll
    static void artifacts() throws Exception {
        Path csv = dir.resolve("breast_cancer_wisconsin.csv");
        try (InputStream in = ShapStageTest.class.getResourceAsStream("/data/breast_cancer_wisconsin.csv")) {
            Files.copy(in, csv);
        }
        Path dataDir = dir.resolve("data");
        new CsvIngestStage().run(new CsvIngestConfig(csv.toString(), "diagnosis", null, null, null, null, null, null,
                null, null), new LocalStageContext("data", SEED, List.of(), dataDir, "cpu"));
        data = new InputArtifact("data", ArtifactKind.DATASET, dataDir, "sha-data", Map.of());
        lr = train("lr", TribuoTrainConfig.defaults(Algorithm.LOGISTIC_REGRESSION));
        cart = train("cart", TribuoTrainConfig.defaults(Algorithm.CART));
        xgboost = train("xgb", new TribuoTrainConfig(Algorithm.XGBOOST, null, null, null, 3, null, 20, null, null,
                null, null, null));
    }

    private static InputArtifact train(String id, TribuoTrainConfig config) throws Exception {
        Path out = dir.resolve(id);
        new TribuoTrainStage().run(config, new LocalStageContext(id, SEED, List.of(data), out, "cpu"));
        return new InputArtifact(id, ArtifactKind.MODEL, out, "sha-" + id, Map.of());
    }

    private static LocalStageContext context(String name, InputArtifact model, long seed) {
        return new LocalStageContext("why", seed, List.of(model, data), dir.resolve(name), "cpu");
    }

    private static ShapConfig config(Integer rows, Integer background, ShapConfig.Method method) {
        return new ShapConfig(null, rows, background, null, method, null, null, 3);
    }

    private static JsonNode explanations(LocalStageContext ctx) throws Exception {
        return JSON.readTree(ctx.outputDir().resolve(ShapJson.FILE).toFile());
    }

    /** The model's probabilities for each explained row, computed independently: the row encoded, ONNX Runtime. */
    private static Map<Long, float[]> probabilities(InputArtifact model, JsonNode json) throws Exception {
        DatasetSchema schema = Datasets.readSchema(data.path());
        Map<Long, DatasetRow> bySource = new HashMap<>();
        for (DatasetRow r : Datasets.readSplit(data.path(), Split.TEST)) bySource.put(r.sourceRow(), r);
        Map<Long, float[]> out = new HashMap<>();
        try (OnnxPredictor p = OnnxPredictor.open(model.path().resolve(ModelMetadata.MODEL_FILE),
                OnnxPredictor.Options.of("features", "probabilities"))) {
            ModelMetadata meta = ModelMetadata.fromProperties(p.metadata());
            int[] columns = meta.encoder().columnIndexes(schema);
            for (JsonNode row : json.get("rows")) {
                float[] x = new float[meta.encoder().width()];
                meta.encoder().encode(bySource.get(row.get("row").asLong()).values(), columns, x);
                out.put(row.get("row").asLong(), p.predict(new float[][] {x})[0]);
            }
        }
        return out;
    }

    /** For every row and class: base + Σ values = prediction. Returns the largest gap. */
    private static double checkEfficiency(JsonNode json) {
        double worst = 0;
        for (JsonNode row : json.get("rows")) {
            for (JsonNode c : row.get("classes")) {
                double sum = c.get("base").asDouble();
                for (JsonNode v : c.get("values")) sum += v.asDouble();
                worst = Math.max(worst, Math.abs(sum - c.get("prediction").asDouble()));
                assertThat(sum).as("efficiency of row %s", row.get("row")).isCloseTo(c.get("prediction").asDouble(),
                        within(EFFICIENCY));
            }
        }
        return worst;
    }

    @Test
    void kernelShapOnLogisticRegressionIsEfficientInProbabilitySpace() throws Exception {
        LocalStageContext ctx = context("kernel-lr", lr, SEED);
        StageOutput out = new ShapStage().run(config(12, 25, null), ctx);
        JsonNode json = explanations(ctx);
        System.out.println("explain.shap kernel/lr: " + out.summary());

        assertThat(json.get("method").asText()).isEqualTo("kernel");
        assertThat(json.get("algorithm").asText()).isEqualTo("KERNEL_SAMPLED");   // 30 features > 14
        assertThat(json.get("output_space").asText()).isEqualTo("probability");
        assertThat(json.get("explained_rows").asInt()).isEqualTo(12);
        assertThat(json.get("split_rows").asInt()).isGreaterThan(12);
        assertThat(json.get("background").get("rows").asInt()).isEqualTo(25);
        assertThat(json.get("features")).hasSize(30);
        System.out.println("explain.shap kernel/lr: largest efficiency gap " + checkEfficiency(json));

        // f(x) is the model's probability, as ONNX Runtime computes it for the encoded source row.
        Map<Long, float[]> p = probabilities(lr, json);
        List<String> classes = List.of("benign", "malignant");
        for (JsonNode row : json.get("rows")) {
            for (int k = 0; k < 2; k++) {
                JsonNode c = row.get("classes").get(classes.get(k));
                assertThat(c.get("prediction").asDouble()).isCloseTo(p.get(row.get("row").asLong())[k], within(1e-6));
            }
            // Probabilities sum to 1, and Shapley values are linear in the game: per feature, the classes' values
            // cancel, and the base values sum to 1.
            JsonNode b = row.get("classes").get("benign"), m = row.get("classes").get("malignant");
            assertThat(b.get("base").asDouble() + m.get("base").asDouble()).isCloseTo(1, within(1e-5));
            for (int f = 0; f < 30; f++) {
                assertThat(b.get("values").get(f).asDouble() + m.get("values").get(f).asDouble()).isCloseTo(0, within(1e-5));
            }
            assertThat(row.get("model_evaluations").asLong()).isEqualTo((2L * 30 + 2048) * 25 + 1);
        }
        List<Metric> metrics = ctx.recordedMetrics();
        assertThat(metrics).contains(new Metric("explained_rows", 12, "test", null),
                new Metric("model_evaluations_per_row", (2.0 * 30 + 2048) * 25 + 1, "test", null));
        assertThat(metrics.stream().filter(m2 -> m2.name().equals("mean_abs_shap"))).hasSize(60);
        assertThat(metrics.stream().filter(m2 -> m2.name().equals("shap_value"))).hasSize(10 * 2 * 3);
    }

    @Test
    void treeShapOnCartIsEfficientAndItsRawScoreIsTheProbability() throws Exception {
        LocalStageContext ctx = context("tree-cart", cart, SEED);
        StageOutput out = new ShapStage().run(ShapConfig.defaults(), ctx);
        JsonNode json = explanations(ctx);
        System.out.println("explain.shap tree/cart: " + out.summary());
        assertThat(json.get("method").asText()).isEqualTo("tree");
        assertThat(json.get("output_space").asText()).isEqualTo("raw_score");
        assertThat(json.get("note").asText()).contains("no post-transform");
        assertThat(json.has("background")).isFalse();
        assertThat(json.get("explained_rows").asInt()).isEqualTo(json.get("split_rows").asInt());
        checkEfficiency(json);
        Map<Long, float[]> p = probabilities(cart, json);
        for (JsonNode row : json.get("rows")) {
            assertThat(row.get("classes").get("malignant").get("prediction").asDouble())
                    .isCloseTo(p.get(row.get("row").asLong())[1], within(1e-6));
            assertThat(row.get("model_evaluations").asLong()).isZero();
        }
        assertSummaryIsTheMeanOfAbsoluteRowValues(json, ctx.recordedMetrics());
    }

    @Test
    void treeShapOnXgboostIsEfficientInMarginSpaceAndItsSoftmaxIsTheModelsProbability() throws Exception {
        LocalStageContext ctx = context("tree-xgb", xgboost, SEED);
        StageOutput out = new ShapStage().run(config(40, null, ShapConfig.Method.TREE), ctx);
        JsonNode json = explanations(ctx);
        System.out.println("explain.shap tree/xgboost: " + out.summary());
        assertThat(json.get("explained_rows").asInt()).isEqualTo(40);
        assertThat(json.get("note").asText()).contains("softmax");
        checkEfficiency(json);
        Map<Long, float[]> p = probabilities(xgboost, json);
        for (JsonNode row : json.get("rows")) {
            double b = row.get("classes").get("benign").get("prediction").asDouble();
            double m = row.get("classes").get("malignant").get("prediction").asDouble();
            double softmax = 1 / (1 + Math.exp(b - m));
            assertThat(softmax).as("row %s", row.get("row")).isCloseTo(p.get(row.get("row").asLong())[1], within(1e-5));
        }
        assertSummaryIsTheMeanOfAbsoluteRowValues(json, ctx.recordedMetrics());
    }

    private static void assertSummaryIsTheMeanOfAbsoluteRowValues(JsonNode json, List<Metric> metrics) {
        List<String> features = new java.util.ArrayList<>();
        json.get("features").forEach(f -> features.add(f.get("column").asText()));
        int n = json.get("rows").size();
        for (String c : List.of("benign", "malignant")) {
            for (int f = 0; f < features.size(); f++) {
                double sum = 0;
                for (JsonNode row : json.get("rows")) sum += Math.abs(row.get("classes").get(c).get("values").get(f).asDouble());
                double global = json.get("mean_abs_shap").get(c).get(features.get(f)).asDouble();
                assertThat(global).isCloseTo(sum / n, within(1e-12));
                String slice = "feature=" + features.get(f) + ",class=" + c;
                assertThat(metrics).contains(new Metric("mean_abs_shap", global, "test", slice));
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameFileAndAnotherSeedAnotherSample() throws Exception {
        ShapConfig config = new ShapConfig(null, 6, 15, ShapConfig.BackgroundMethod.KMEANS, null, 300, null, null);
        LocalStageContext a = context("det-a", lr, 7);
        LocalStageContext b = context("det-b", lr, 7);
        LocalStageContext c = context("det-c", lr, 8);
        new ShapStage().run(config, a);
        new ShapStage().run(config, b);
        new ShapStage().run(config, c);
        byte[] first = Files.readAllBytes(a.outputDir().resolve(ShapJson.FILE));
        assertThat(Files.readAllBytes(b.outputDir().resolve(ShapJson.FILE))).isEqualTo(first);
        assertThat(Files.readAllBytes(c.outputDir().resolve(ShapJson.FILE))).isNotEqualTo(first);
        JsonNode json = explanations(a);
        assertThat(json.get("background").get("method").asText()).isEqualTo("kmeans");
        assertThat(json.get("background").get("coalitions").asText()).startsWith("300 sampled");
        checkEfficiency(json);
    }

    @Test
    void refusesTreeShapForANonTreeModelAndAnUnknownClass() {
        assertThatThrownBy(() -> new ShapStage().run(config(5, 5, ShapConfig.Method.TREE), context("bad-1", lr, 1)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("method"))
                .hasMessageContaining("method: kernel");
        assertThatThrownBy(() -> new ShapStage().run(new ShapConfig(null, 5, 5, null, null, null,
                List.of("benign", "cancer"), null), context("bad-2", cart, 1)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("classes"))
                .hasMessageContaining("'cancer'").hasMessageContaining("[benign, malignant]");
    }

    @Test
    void explainsOnlyTheChosenClasses() throws Exception {
        LocalStageContext ctx = context("one-class", cart, SEED);
        new ShapStage().run(new ShapConfig(null, 5, null, null, null, null, List.of("malignant"), null), ctx);
        JsonNode json = explanations(ctx);
        assertThat(json.get("classes")).hasSize(1);
        assertThat(json.get("rows").get(0).get("classes").has("benign")).isFalse();
        assertThat(json.get("rows").get(0).get("classes").get("malignant").get("top")).hasSize(5);
    }

    @Test
    void isFoundByTheCatalogAndWritesAnExplanation() {
        assertThat(StageCatalog.load().find(ShapStage.TYPE)).isPresent();
        assertThat(new ShapStage().output()).isEqualTo(ArtifactKind.EXPLANATION);
    }
}

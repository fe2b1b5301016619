package dev.candor.stages.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.CsvIngestStage;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain.lime} and {@code explain.importance} end to end on real artifacts: the breast-cancer CSV ingested by
 * {@code ingest.csv}, a logistic regression trained by {@code train.tribuo}, scored through ONNX Runtime (LIME on the
 * Beam DirectRunner).
 */
class LimeImportanceStageTest {
    private static final long SEED = 20261123L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static InputArtifact data;
    static InputArtifact lr;

    @BeforeAll
    static void artifacts() throws Exception {
        Path csv = dir.resolve("breast_cancer_wisconsin.csv");
        try (InputStream in = LimeImportanceStageTest.class.getResourceAsStream("/data/breast_cancer_wisconsin.csv")) {
            Files.copy(in, csv);
        }
        Path dataDir = dir.resolve("data");
        new CsvIngestStage().run(new CsvIngestConfig(csv.toString(), "diagnosis", null, null, null, null, null, null,
                null, null), new LocalStageContext("data", SEED, List.of(), dataDir, "cpu"));
        data = new InputArtifact("data", ArtifactKind.DATASET, dataDir, "sha-data", Map.of());
        Path out = dir.resolve("lr");
        new TribuoTrainStage().run(TribuoTrainConfig.defaults(Algorithm.LOGISTIC_REGRESSION),
                new LocalStageContext("lr", SEED, List.of(data), out, "cpu"));
        lr = new InputArtifact("lr", ArtifactKind.MODEL, out, "sha-lr", Map.of());
    }

    private static LocalStageContext context(String name, long seed) {
        return new LocalStageContext("why", seed, List.of(lr, data), dir.resolve(name), "cpu");
    }

    private static LimeConfig lime(int rows) {
        return new LimeConfig(null, rows, 2000, null, null, List.of("malignant"), 3);
    }

    @Test
    void limeExplainsRowsWithTheirFidelityAndTheSameSeedGivesTheSameBytes() throws Exception {
        LocalStageContext a = context("lime-a", SEED);
        StageOutput out = new LimeStage().run(lime(20), a);
        System.out.println("explain.lime/lr: " + out.summary());
        JsonNode json = JSON.readTree(a.outputDir().resolve(LimeJson.FILE).toFile());
        assertThat(json.get("explained_rows").asInt()).isEqualTo(20);
        assertThat(json.get("features")).hasSize(30);
        double mean = 0;
        for (JsonNode row : json.get("rows")) {
            JsonNode m = row.get("classes").get("malignant");
            double fidelity = m.get("fidelity").asDouble();
            assertThat(fidelity).as("row %s", row.get("row")).isBetween(-1.0, 1.0);
            assertThat(m.get("weights")).hasSize(30);
            assertThat(m.get("top")).hasSize(3);
            assertThat(m.get("prediction").asDouble()).isBetween(0.0, 1.0);
            mean += fidelity / 20;
        }
        assertThat(json.get("fidelity").get("mean").asDouble()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-12));
        List<Metric> metrics = a.recordedMetrics();
        assertThat(metrics).contains(new Metric("lime.fidelity_mean", json.get("fidelity").get("mean").asDouble(),
                "test", null), new Metric("explained_rows", 20, "test", null));
        assertThat(metrics.stream().filter(m -> m.name().equals("lime_mean_abs_weight"))).hasSize(30)
                .allSatisfy(m -> assertThat(m.slice()).startsWith("feature=").endsWith(",class=malignant"));
        assertThat(new LimeStage().results(LimeConfig.defaults())).contains("lime.fidelity_mean", "lime.fidelity_min");

        LocalStageContext again = context("lime-again", SEED);
        new LimeStage().run(lime(20), again);
        assertThat(Files.readAllBytes(again.outputDir().resolve(LimeJson.FILE)))
                .isEqualTo(Files.readAllBytes(a.outputDir().resolve(LimeJson.FILE)));
    }

    /** The stability check: on a row whose top three weights stand clear of the rest, other seeds agree. */
    @Test
    void acrossSeedsTheTopThreeFeaturesOfAWellSeparatedRowAgree() throws Exception {
        JsonNode first = null;
        long separatedRow = -1;
        Set<String> topThree = null;
        for (long seed : new long[] {1, 2, 3}) {
            LocalStageContext ctx = context("lime-seed-" + seed, seed);
            // the same rows for every seed: the split is smaller than rows, so none is sampled away
            new LimeStage().run(new LimeConfig(null, 1000, 5000, null, null, List.of("malignant"), 3), ctx);
            JsonNode json = JSON.readTree(ctx.outputDir().resolve(LimeJson.FILE).toFile());
            if (first == null) {
                first = json;
                double bestGap = 0;
                for (JsonNode row : json.get("rows")) {
                    double[] w = sortedAbs(row.get("classes").get("malignant").get("weights"));
                    double gap = (w[2] - w[3]) / w[2];
                    if (gap > bestGap) {
                        bestGap = gap;
                        separatedRow = row.get("row").asLong();
                    }
                }
                assertThat(bestGap).as("some row has a clear top three").isGreaterThan(0.2);
            }
            Set<String> top = top(json, separatedRow);
            System.out.println("explain.lime seed " + seed + ": top 3 of row " + separatedRow + " " + top
                    + ", fidelity mean " + json.get("fidelity").get("mean").asDouble());
            if (topThree == null) topThree = top;
            assertThat(top).as("top three of row %d with seed %d", separatedRow, seed).isEqualTo(topThree);
        }
    }

    private static double[] sortedAbs(JsonNode weights) {
        double[] w = new double[weights.size()];
        for (int i = 0; i < w.length; i++) w[i] = -Math.abs(weights.get(i).asDouble());
        java.util.Arrays.sort(w);
        for (int i = 0; i < w.length; i++) w[i] = -w[i];
        return w;
    }

    private static Set<String> top(JsonNode json, long row) {
        for (JsonNode r : json.get("rows")) {
            if (r.get("row").asLong() == row) {
                Set<String> s = new HashSet<>();
                r.get("classes").get("malignant").get("top").forEach(t -> s.add(t.get("feature").asText()));
                return s;
            }
        }
        throw new AssertionError("row " + row + " was not explained");
    }

    @Test
    void permutationImportanceRanksFeaturesWithSpreadAndIsSeeded() throws Exception {
        LocalStageContext a = context("imp-a", SEED);
        StageOutput out = new ImportanceStage().run(new ImportanceConfig(null, 5, null, null), a);
        System.out.println("explain.importance/lr: " + out.summary());
        JsonNode json = JSON.readTree(a.outputDir().resolve(ImportanceStage.FILE).toFile());
        assertThat(json.get("features")).hasSize(30);
        assertThat(json.get("baseline_score").asDouble()).isGreaterThan(0.9);
        JsonNode top = json.get("features").get(0);
        assertThat(top.get("importance").asDouble()).isGreaterThan(0);
        assertThat(top.get("drops")).hasSize(5);
        List<Metric> metrics = a.recordedMetrics();
        assertThat(metrics.stream().filter(m -> m.name().equals("permutation_importance"))).hasSize(30);
        assertThat(metrics.stream().filter(m -> m.name().equals("permutation_importance_spread"))).hasSize(30)
                .allSatisfy(m -> assertThat(m.value()).isGreaterThanOrEqualTo(0));
        assertThat(metrics).contains(new Metric("permutation_importance", top.get("importance").asDouble(), "test",
                "feature=" + top.get("feature").asText()),
                new Metric("permutation.baseline_score", json.get("baseline_score").asDouble(), "test", null));

        LocalStageContext again = context("imp-again", SEED);
        new ImportanceStage().run(new ImportanceConfig(null, 5, null, null), again);
        assertThat(Files.readAllBytes(again.outputDir().resolve(ImportanceStage.FILE)))
                .isEqualTo(Files.readAllBytes(a.outputDir().resolve(ImportanceStage.FILE)));

        LocalStageContext logLoss = context("imp-logloss", SEED);
        new ImportanceStage().run(new ImportanceConfig(null, 2, ImportanceConfig.Score.LOG_LOSS, null), logLoss);
        JsonNode ll = JSON.readTree(logLoss.outputDir().resolve(ImportanceStage.FILE).toFile());
        assertThat(ll.get("baseline_score").asDouble()).isNegative();
    }

    @Test
    void catalogListsTheStagesAndBadConfigIsRefused() {
        assertThat(StageCatalog.load().types()).contains(LimeStage.TYPE, ImportanceStage.TYPE);
        assertThatThrownBy(() -> new LimeConfig(null, null, 1, null, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[2, ")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("samples"));
        assertThatThrownBy(() -> new LimeConfig(null, null, null, -1.0, null, null, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("kernel_width"));
        // The fuzzer's 1e-300: its square is 0 and the kernel's weights NaN.
        assertThatThrownBy(() -> new LimeConfig(null, null, null, 1e-300, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least 1.0E-6 standard deviations")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("kernel_width"));
        assertThat(new LimeConfig(null, null, null, 1e-6, null, null, null).kernelWidth()).isEqualTo(1e-6);
        assertThatThrownBy(() -> new ImportanceConfig(null, 0, null, null))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("repeats"));
        assertThatThrownBy(() -> new LimeStage().run(new LimeConfig(null, 5, 100, null, null, List.of("nope"), null),
                context("lime-bad", SEED))).isInstanceOf(ConfigException.class).hasMessageContaining("nope");
    }
}

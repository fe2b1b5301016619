package dev.candor.stages.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.CsvIngestStage;
import dev.candor.stages.ingest.SplitConfig;
import dev.candor.stages.nn.OnnxTrainConfig;
import dev.candor.stages.nn.OnnxTrainStage;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.LocalStageContext.Metric;
import dev.candor.stages.spi.StageCatalog;
import dev.candor.stages.spi.StageOutput;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain.gradients} end to end: breast cancer ingested by {@code ingest.csv}, an MLP trained by
 * {@code train.onnx}, explained with Integrated Gradients on the DirectRunner through ONNX Runtime.
 */
class GradientsStageTest {
    private static final long SEED = 20261123L;
    private static final List<String> LAYERS = List.of("dense 16 relu", "dropout 0.2", "dense 8 tanh");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static InputArtifact data;
    static InputArtifact mlp;

    @BeforeAll
    static void artifacts() throws Exception {
        Path csv = dir.resolve("breast_cancer_wisconsin.csv");
        try (InputStream in = GradientsStageTest.class.getResourceAsStream("/data/breast_cancer_wisconsin.csv")) {
            Files.copy(in, csv);
        }
        Path dataDir = dir.resolve("data");
        new CsvIngestStage().run(new CsvIngestConfig(csv.toString(), "diagnosis", null, null, null, null, null, null,
                new SplitConfig(0.6, 0.2, 0.2), null), new LocalStageContext("data", SEED, List.of(), dataDir, "cpu"));
        data = new InputArtifact("data", ArtifactKind.DATASET, dataDir, "sha-data", Map.of());
        Path out = dir.resolve("mlp");
        new OnnxTrainStage().run(OnnxTrainConfig.of(LAYERS), new LocalStageContext("mlp", SEED, List.of(data), out, "cpu"));
        mlp = new InputArtifact("mlp", ArtifactKind.MODEL, out, "sha-mlp", Map.of());
    }

    private static LocalStageContext context(String name) {
        return new LocalStageContext("why", SEED, List.of(mlp, data), dir.resolve(name), "cpu");
    }

    @Test
    void integratedGradientsAddUpToTheProbabilityChangeForEveryRow() throws Exception {
        LocalStageContext ctx = context("ig");
        StageOutput out = new GradientsStage().run(new GradientsConfig(LAYERS, null, null, null, 40, 256, null,
                null, 3), ctx);
        System.out.println("explain.gradients/mlp: " + out.summary());
        JsonNode json = JSON.readTree(ctx.outputDir().resolve(GradientsStage.FILE).toFile());
        assertThat(json.get("explained_rows").asInt()).isEqualTo(40);
        assertThat(json.get("features")).hasSize(30);
        double worst = 0;
        double largestChange = 0;
        for (JsonNode row : json.get("rows")) {
            for (String c : List.of("benign", "malignant")) {
                JsonNode o = row.get("classes").get(c);
                double sum = 0;
                for (JsonNode a : o.get("attributions")) sum += a.asDouble();
                double gap = Math.abs(sum - (o.get("prediction").asDouble() - o.get("baseline_prediction").asDouble()));
                assertThat(o.get("completeness_gap").asDouble()).isCloseTo(gap, org.assertj.core.data.Offset.offset(1e-9));
                worst = Math.max(worst, gap);
                largestChange = Math.max(largestChange, Math.abs(o.get("prediction").asDouble()
                        - o.get("baseline_prediction").asDouble()));
            }
            // the two probabilities sum to 1, so the classes' attributions cancel feature by feature
            JsonNode b = row.get("classes").get("benign").get("attributions");
            JsonNode m = row.get("classes").get("malignant").get("attributions");
            for (int f = 0; f < 30; f++) assertThat(b.get(f).asDouble() + m.get(f).asDouble()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-5));
        }
        // 256 trapezoid steps: the gap is the quadrature's error; the bar (1 % of the largest change, 5 times the
        // paper's 5 % check) is argued in IntegratedGradientsNnTest
        assertThat(largestChange).isGreaterThan(0.2);
        assertThat(worst).isLessThan(0.01 * largestChange);
        assertThat(json.get("completeness_gap_max").asDouble()).isEqualTo(worst, org.assertj.core.data.Offset.offset(1e-9));
        List<Metric> metrics = ctx.recordedMetrics();
        assertThat(metrics.stream().filter(x -> x.name().equals("ig_mean_abs_attribution"))).hasSize(60);
        assertThat(metrics).contains(new Metric("explained_rows", 40, "test", null));
        assertThat(new GradientsStage().results(GradientsConfig.of(LAYERS))).contains("ig.completeness_gap_max");
        assertThat(StageCatalog.load().types()).contains(GradientsStage.TYPE);
    }

    @Test
    void layersThatDoNotMatchTheModelAreRefusedWithTheFix() {
        assertThatThrownBy(() -> new GradientsStage().run(GradientsConfig.of(List.of("dense 32 relu")), context("bad")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("train.onnx stage that produced")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("layers"));
        // same shapes, another activation: only the reproduction check can tell
        assertThatThrownBy(() -> new GradientsStage().run(GradientsConfig.of(List.of("dense 16 tanh", "dropout 0.2",
                "dense 8 tanh")), context("bad-activation"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("probabilities up to");
        assertThatThrownBy(() -> new GradientsConfig(LAYERS, "mse", null, null, null, null, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("regression");
    }

    /** train.onnx records its layers in the model file, so the stage needs no repeated layers. */
    @Test
    void layersLeftOutAreReadFromTheModelFile() throws Exception {
        LocalStageContext given = context("given");
        LocalStageContext recorded = context("recorded");
        new GradientsStage().run(new GradientsConfig(LAYERS, null, null, null, 5, 16, null, null, 3), given);
        new GradientsStage().run(new GradientsConfig(null, null, null, null, 5, 16, null, null, 3), recorded);
        assertThat(Files.readAllBytes(recorded.outputDir().resolve(GradientsStage.FILE)))
                .isEqualTo(Files.readAllBytes(given.outputDir().resolve(GradientsStage.FILE)));
    }

    /** A model without recorded layers (a logistic regression here) and no layers given: the error says what to write. */
    @Test
    void modelWithoutRecordedLayersAsksForThem() {
        dev.candor.stages.nn.NnArchitecture none = null;
        assertThatThrownBy(() -> GradientsConfig.of(null).architecture(java.util.Optional.ofNullable(none), "lr"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not record its layers")
                .hasMessageContaining("give the layers");
    }
}

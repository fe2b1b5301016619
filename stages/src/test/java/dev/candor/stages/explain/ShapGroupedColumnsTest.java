package dev.candor.stages.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.CsvIngestStage;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.train.Algorithm;
import dev.candor.stages.train.TribuoTrainConfig;
import dev.candor.stages.train.TribuoTrainStage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Categorical columns as single players, on German credit (20 feature columns, most of them categorical and one-hot
 * encoded; {@code sex} protected and left out): TreeSHAP sums a column's indicator values, KernelSHAP switches its
 * indicators together, and efficiency holds either way.
 */
class ShapGroupedColumnsTest {
    private static final long SEED = 99;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static InputArtifact data;
    static InputArtifact cart;

    @BeforeAll
    static void artifacts() throws Exception {
        Path csv = dir.resolve("german_credit.csv");
        try (InputStream in = ShapGroupedColumnsTest.class.getResourceAsStream("/data/german_credit.csv")) {
            Files.copy(in, csv);
        }
        Path dataDir = dir.resolve("data");
        new CsvIngestStage().run(new CsvIngestConfig(csv.toString(), "class", null, null, List.of("sex"), null, null,
                null, null, null), new LocalStageContext("data", SEED, List.of(), dataDir, "cpu"));
        data = new InputArtifact("data", ArtifactKind.DATASET, dataDir, "sha-data", Map.of());
        Path out = dir.resolve("cart");
        new TribuoTrainStage().run(TribuoTrainConfig.defaults(Algorithm.CART),
                new LocalStageContext("cart", SEED, List.of(data), out, "cpu"));
        cart = new InputArtifact("cart", ArtifactKind.MODEL, out, "sha-cart", Map.of());
    }

    private static JsonNode run(String name, ShapConfig config) throws Exception {
        LocalStageContext ctx = new LocalStageContext("why", SEED, List.of(cart, data), dir.resolve(name), "cpu");
        new ShapStage().run(config, ctx);
        return JSON.readTree(ctx.outputDir().resolve(ShapJson.FILE).toFile());
    }

    @Test
    void treeAndKernelExplainSourceColumnsNotIndicators() throws Exception {
        JsonNode tree = run("tree", new ShapConfig(null, 25, null, null, ShapConfig.Method.TREE, null, null, null));
        JsonNode kernel = run("kernel", new ShapConfig(null, 4, 10, null, ShapConfig.Method.KERNEL, 400, null, null));
        for (JsonNode json : List.of(tree, kernel)) {
            assertThat(json.get("features")).hasSize(20);   // 21 columns less the label and sex (protected)
            JsonNode purpose = null;
            for (JsonNode f : json.get("features")) if (f.get("column").asText().equals("purpose")) purpose = f;
            assertThat(purpose).isNotNull();
            assertThat(purpose.get("encoded").size()).isGreaterThan(5);
            assertThat(purpose.get("encoded").get(0).asText()).startsWith("purpose=");
            for (JsonNode row : json.get("rows")) {
                for (JsonNode c : row.get("classes")) {
                    assertThat(c.get("values")).hasSize(20);
                    double sum = c.get("base").asDouble();
                    for (JsonNode v : c.get("values")) sum += v.asDouble();
                    assertThat(sum).isCloseTo(c.get("prediction").asDouble(), within(1e-4));
                }
            }
        }
        assertThat(kernel.get("algorithm").asText()).isEqualTo("KERNEL_SAMPLED");   // 20 players > 14
        assertThat(kernel.get("rows").get(0).get("model_evaluations").asLong()).isEqualTo(400L * 10 + 1);
    }
}

package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.explain.privacy.RdpAccountant;
import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.CsvIngestStage;
import dev.candor.stages.ingest.SplitConfig;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.LocalStageContext.Metric;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train.onnx} with {@code privacy} (DP-SGD) and with a dataset's example-weight column, on breast cancer. */
class OnnxTrainPrivacyStageTest {
    @TempDir
    static Path dir;
    static InputArtifact dataset;

    @BeforeAll
    static void ingest() throws Exception {
        Path csv = dir.resolve("breast_cancer_wisconsin.csv");
        try (InputStream in = OnnxTrainPrivacyStageTest.class.getResourceAsStream("/data/breast_cancer_wisconsin.csv")) {
            Files.copy(in, csv);
        }
        CsvIngestConfig config = new CsvIngestConfig(csv.toString(), "diagnosis", null, null, null, null, null, null,
                new SplitConfig(0.6, 0.2, 0.2), null);
        Path out = dir.resolve("data");
        new CsvIngestStage().run(config, new LocalStageContext("data", 42, List.of(), out, "cpu"));
        dataset = new InputArtifact("data", ArtifactKind.DATASET, out, "sha-breast-cancer", Map.of());
    }

    static OnnxTrainConfig mlp(int epochs, OnnxTrainConfig.Privacy privacy, OnnxTrainConfig.EarlyStop early) {
        return new OnnxTrainConfig(List.of("dense 32 relu", "dropout 0.1"), null, null,
                new OnnxTrainConfig.Optimizer("adam", 0.01, null, null, null, null, null, null), epochs, 64, early,
                null, null, null, null, null, null, null, privacy);
    }

    static double single(List<Metric> metrics, String name) {
        List<Metric> m = metrics.stream().filter(x -> x.name().equals(name) && x.split() == null && x.slice() == null).toList();
        assertThat(m).as(name).hasSize(1);
        return m.get(0).value();
    }

    @Test
    void privacyWithATargetEpsilonRecordsThePrivacySpentAndDeclaresIt() throws Exception {
        LocalStageContext ctx = new LocalStageContext("dp", 3, List.of(dataset), dir.resolve("dp"), "cpu");
        OnnxTrainConfig config = mlp(20, new OnnxTrainConfig.Privacy(3.0, null, 1e-5, 1.0), null);
        new OnnxTrainStage().run(config, ctx);
        List<Metric> m = ctx.recordedMetrics();
        double epsilon = single(m, "privacy.epsilon");
        long steps = (long) single(m, "privacy.steps");
        System.out.printf("train.onnx privacy: ε = %.4f (target 3), σ = %.4f, q = %.4f, %d steps, train accuracy %.4f%n",
                epsilon, single(m, "privacy.noise_multiplier"), single(m, "privacy.sampling_rate"), steps,
                m.stream().filter(x -> x.name().equals("train_accuracy")).findFirst().orElseThrow().value());
        assertThat(epsilon).isLessThanOrEqualTo(3.0).isGreaterThan(2.9);
        assertThat(single(m, "privacy.delta")).isEqualTo(1e-5);
        assertThat(single(m, "privacy.clip")).isEqualTo(1.0);
        assertThat(steps).isEqualTo(20L * 6);
        assertThat(single(m, "privacy.sampling_rate")).isCloseTo(64.0 / 341, org.assertj.core.data.Offset.offset(0.01));
        assertThat(single(m, "privacy.noise_multiplier")).isGreaterThan(1);
        assertThat(ctx.reportedFindings()).anyMatch(f -> f.code().equals("privacy.spent"));
        assertThat(new OnnxTrainStage().results(config)).containsAll(DpPlan.METRICS)
                .contains("accuracy", "val_loss", "val_accuracy", "train_accuracy", "epochs_run", "best_epoch", "parameters");
        assertThat(new OnnxTrainStage().results(mlp(1, null, null))).doesNotContain("privacy.epsilon");
    }

    /** Under early stopping ε counts every step run, not only those up to the kept epoch. */
    @Test
    void aGivenNoiseMultiplierReportsTheEpsilonOfEveryStepRun() throws Exception {
        LocalStageContext ctx = new LocalStageContext("dp", 4, List.of(dataset), dir.resolve("dp-sigma"), "cpu");
        new OnnxTrainStage().run(mlp(30, new OnnxTrainConfig.Privacy(null, 1.1, 1e-5, 0.5),
                new OnnxTrainConfig.EarlyStop("val_loss", 3, null)), ctx);
        List<Metric> m = ctx.recordedMetrics();
        long steps = (long) single(m, "privacy.steps");
        int epochsRun = (int) single(m, "epochs_run");
        assertThat(steps).isEqualTo(epochsRun * 6L);
        double expected = RdpAccountant.epsilon(single(m, "privacy.sampling_rate"), 1.1, steps, 1e-5,
                RdpAccountant.DEFAULT_ORDERS, RdpAccountant.Conversion.IMPROVED).epsilon();
        assertThat(single(m, "privacy.epsilon")).isEqualTo(expected);
        assertThat(single(m, "privacy.noise_multiplier")).isEqualTo(1.1);
    }

    @Test
    void layersDpSgdCannotTrainAreAConfigErrorAtPrivacyNamingTheLayer() {
        OnnxTrainConfig conv = new OnnxTrainConfig(List.of("conv 4 3x3 relu", "flatten"), null, null, null, 1, null, null,
                null, null, null, null, List.of(1, 5, 6), null, null, new OnnxTrainConfig.Privacy(3.0, null, 1e-5, 1.0));
        LocalStageContext ctx = new LocalStageContext("dp", 1, List.of(dataset), dir.resolve("dp-conv"), "cpu");
        assertThatThrownBy(() -> new OnnxTrainStage().run(conv, ctx)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("layer 1 'conv 4 3x3 relu'").hasMessageContaining("convolutions")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("privacy"));
        assertThatThrownBy(() -> new OnnxTrainConfig.Privacy(3.0, 1.1, null, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new OnnxTrainConfig.Privacy(null, null, null, null)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new OnnxTrainConfig.Privacy(3.0, null, 1.5, null)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("delta"));
    }

    /** A copy of the dataset with a weight column computed per row (label index 0 or 1 as argument). */
    static InputArtifact weighted(String name, ToDoubleFunction<DatasetRow> weight) {
        Path out = dir.resolve(name);
        DatasetSchema s = Datasets.readSchema(dataset.path());
        List<ColumnSchema> columns = new ArrayList<>(s.columns());
        columns.add(new ColumnSchema("w", ColumnType.NUMERIC, ColumnRole.WEIGHT, false, List.of()));
        DatasetSchema ws = new DatasetSchema(s.source(), s.sha256(), columns, s.label(), s.classes());
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Datasets.writeSchema(out, ws);
        for (Split split : List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)) {
            List<DatasetRow> rows = new ArrayList<>();
            for (DatasetRow r : Datasets.readSplit(dataset.path(), split)) {
                Object[] v = java.util.Arrays.copyOf(r.values(), r.values().length + 1);
                v[v.length - 1] = weight.applyAsDouble(r);
                rows.add(new DatasetRow(r.sourceRow(), v));
            }
            Datasets.writeSplit(out, ws, split, rows);
        }
        return new InputArtifact(name, ArtifactKind.DATASET, out, "sha-" + name, Map.of());
    }

    @Test
    void anExampleWeightColumnWeighsEachRowsLoss() throws Exception {
        int label = Datasets.readSchema(dataset.path()).labelIndex();
        InputArtifact ones = weighted("w-ones", r -> 1);
        InputArtifact heavy = weighted("w-heavy", r -> r.category(label).equals("malignant") ? 5 : 1);
        byte[] plain = train(dataset, "plain");
        byte[] unit = train(ones, "unit");
        byte[] weighted = train(heavy, "heavy");
        assertThat(unit).as("all weights 1: the same model").isEqualTo(plain);
        assertThat(weighted).as("malignant rows weigh 5: another model").isNotEqualTo(plain);

        InputArtifact negative = weighted("w-negative", r -> r.sourceRow() % 10 == 7 ? -1 : 1);
        LocalStageContext ctx = new LocalStageContext("m", 1, List.of(negative), dir.resolve("neg"), "cpu");
        assertThatThrownBy(() -> new OnnxTrainStage().run(mlp(1, null, null), ctx)).isInstanceOf(DataException.class)
                .hasMessageContaining("w").hasMessageContaining(">= 0");
    }

    /** The trained graph without its metadata (which names the dataset's hash). */
    private static byte[] train(InputArtifact data, String name) throws Exception {
        LocalStageContext ctx = new LocalStageContext("m", 1, List.of(data), dir.resolve("train-" + name), "cpu");
        new OnnxTrainStage().run(mlp(3, null, null), ctx);
        return ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(ctx.outputDir().resolve(ModelMetadata.MODEL_FILE)))
                .getGraph().toByteArray();
    }
}

package dev.candor.stages.evaluate;

import static dev.candor.stages.evaluate.EvaluateFixtures.CLASSES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.LocalStageContext.Metric;
import dev.candor.stages.spi.StageCatalog;
import dev.candor.stages.spi.StageOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateStageTest {
    private static final int N = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static Path model;
    static Path data;
    static List<DatasetRow> rows;

    @BeforeAll
    static void artifacts() throws Exception {
        rows = EvaluateFixtures.rows(N, 123);
        model = EvaluateFixtures.model(dir.resolve("model"));
        data = EvaluateFixtures.dataset(dir.resolve("data"), EvaluateFixtures.schema(CLASSES), rows);
    }

    private static LocalStageContext context(String name, long seed, Path dataDir, String device) {
        return new LocalStageContext("eval", seed, List.of(
                new InputArtifact("lr", ArtifactKind.MODEL, model, "sha-model", Map.of()),
                new InputArtifact("cells", ArtifactKind.DATASET, dataDir, "sha-data", Map.of())),
                dir.resolve(name), device);
    }

    private static EvaluateConfig config(int bootstrap) {
        return new EvaluateConfig(null, null, 7, bootstrap, 0.9);
    }

    @Test
    void scoresTheSplitAndMeasuresItAsAnIndependentComputationDoes() throws Exception {
        LocalStageContext ctx = context("run-a", 7, data, "cpu");
        StageOutput out = new EvaluateStage().run(config(200), ctx);
        JsonNode json = JSON.readTree(ctx.outputDir().resolve("evaluation.json").toFile());

        // Independent reference: the model by hand in double precision, rows in source order.
        List<DatasetRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(DatasetRow::sourceRow));
        double[] pMal = new double[N];
        boolean[] mal = new boolean[N];
        int correct = 0, positives = 0;
        double logLoss = 0, brier = 0;
        for (int i = 0; i < N; i++) {
            pMal[i] = EvaluateFixtures.malignantProbability(sorted.get(i));
            mal[i] = sorted.get(i).values()[4].equals("malignant");
            if ((pMal[i] > 0.5) == mal[i]) correct++;
            if (mal[i]) positives++;
            logLoss -= Math.log(mal[i] ? pMal[i] : 1 - pMal[i]);
            brier += Math.pow(pMal[i] - (mal[i] ? 1 : 0), 2);
        }
        double pairs = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                if (mal[i] && !mal[j]) pairs += pMal[i] > pMal[j] ? 1 : pMal[i] == pMal[j] ? 0.5 : 0;
            }
        }
        double auc = pairs / (positives * (double) (N - positives));

        JsonNode predictions = json.get("predictions");
        assertThat(predictions).hasSize(N);
        for (int i = 0; i < N; i++) {
            JsonNode p = predictions.get(i);
            assertThat(p.get("row").asLong()).isEqualTo(sorted.get(i).sourceRow());
            assertThat(p.get("label").asText()).isEqualTo(sorted.get(i).values()[4]);
            assertThat(p.get("probabilities").get(1).asDouble()).as("row %d", i).isCloseTo(pMal[i], within(1e-6));
            assertThat(p.get("probabilities").get(0).asDouble()).isCloseTo(1 - pMal[i], within(1e-6));
        }
        JsonNode metrics = json.get("metrics");
        assertThat(json.get("rows").asInt()).isEqualTo(N);
        assertThat(json.get("split").asText()).isEqualTo("test");
        assertThat(json.get("positive_class").asText()).isEqualTo("malignant");   // the less frequent class
        assertThat(json.get("positive_class_source").asText()).isEqualTo("least frequent class of the split");
        assertThat(json.get("device").asText()).isEqualTo("cpu");
        assertThat(metrics.get("accuracy").asDouble()).isCloseTo(correct / (double) N, within(1e-12));
        assertThat(metrics.get("roc_auc").asDouble()).isCloseTo(auc, within(1e-6));
        assertThat(metrics.get("log_loss").asDouble()).isCloseTo(logLoss / N, within(1e-6));
        assertThat(metrics.get("brier").asDouble()).isCloseTo(brier / N, within(1e-6));
        assertThat(json.get("intervals").get("resamples").asInt()).isEqualTo(200);
        assertThat(json.get("intervals").get("seed").asLong()).isEqualTo(7);
        assertThat(positives).isBetween(10, 30);   // the fixture really has two classes in useful numbers

        // Registry metrics: headline values with intervals, per-class values, the confusion matrix.
        List<Metric> recorded = ctx.recordedMetrics();
        assertThat(recorded).allMatch(m -> m.split().equals("test"));
        assertThat(value(recorded, "accuracy", null)).isCloseTo(correct / (double) N, within(1e-12));
        double rocAuc = value(recorded, "roc_auc", null);
        assertThat(value(recorded, "roc_auc_ci_low", null)).isLessThanOrEqualTo(rocAuc);
        assertThat(value(recorded, "roc_auc_ci_high", null)).isGreaterThanOrEqualTo(rocAuc);
        for (String name : List.of("accuracy", "balanced_accuracy", "precision_macro", "recall_macro", "f1_macro",
                "roc_auc", "log_loss", "brier")) {
            assertThat(recorded).as(name).anyMatch(m -> m.name().equals(name) && m.slice() == null);
            assertThat(recorded).as(name).anyMatch(m -> m.name().equals(name + "_ci_low"));
            assertThat(recorded).as(name).anyMatch(m -> m.name().equals(name + "_ci_high"));
        }
        assertThat(value(recorded, "support", "class=malignant")).isEqualTo(positives);
        assertThat(value(recorded, "support", "class=benign")).isEqualTo(N - positives);
        List<Metric> confusion = recorded.stream().filter(m -> m.name().equals("confusion")).toList();
        assertThat(confusion).extracting(Metric::slice).containsExactly(
                "actual=benign,predicted=benign", "actual=benign,predicted=malignant",
                "actual=malignant,predicted=benign", "actual=malignant,predicted=malignant");
        assertThat(confusion.stream().mapToDouble(Metric::value).sum()).isEqualTo(N);
        assertThat(value(recorded, "confusion", "actual=benign,predicted=benign")
                + value(recorded, "confusion", "actual=malignant,predicted=malignant")).isEqualTo(correct);

        assertThat(out.summary()).matches("60 test rows: accuracy 0\\.\\d{3}, ROC AUC 0\\.\\d{3} \\[0\\.\\d\\d, [01]\\.\\d\\d](; disparate impact .*)?");
        assertThat(out.summary()).contains(String.format(java.util.Locale.ROOT, "accuracy %.3f", correct / (double) N));
        assertThat(out.metadata()).containsEntry("rows", "60").containsEntry("positive_class", "malignant");
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws Exception {
        LocalStageContext a = context("det-a", 11, data, "cpu");
        LocalStageContext b = context("det-b", 11, data, "auto");
        LocalStageContext c = context("det-c", 12, data, "cpu");
        new EvaluateStage().run(config(100), a);
        new EvaluateStage().run(new EvaluateConfig(null, null, 5, 100, 0.9), b);   // another batch size
        new EvaluateStage().run(config(100), c);
        byte[] first = Files.readAllBytes(a.outputDir().resolve("evaluation.json"));
        assertThat(Files.readAllBytes(b.outputDir().resolve("evaluation.json"))).isEqualTo(first);
        JsonNode one = JSON.readTree(first);
        JsonNode other = JSON.readTree(c.outputDir().resolve("evaluation.json").toFile());
        assertThat(other.get("metrics")).isEqualTo(one.get("metrics"));
        assertThat(other.get("predictions")).isEqualTo(one.get("predictions"));
        assertThat(other.get("intervals").get("metrics")).isNotEqualTo(one.get("intervals").get("metrics"));
    }

    @Test
    void aLabelTheModelDoesNotKnowIsADataErrorNamingIt() throws Exception {
        List<String> classes = List.of("benign", "malignant", "unsure");
        Path other = EvaluateFixtures.dataset(dir.resolve("data-unsure"), EvaluateFixtures.schema(classes), rows);
        assertThatThrownBy(() -> new EvaluateStage().run(config(0), context("unsure", 1, other, "cpu")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("schema.json")
                .hasMessageContaining("column 'diagnosis'")
                .hasMessageContaining("found 'unsure'")
                .hasMessageContaining("whose labels are [benign, malignant]");
    }

    @Test
    void aRowWhoseLabelIsNotAmongTheModelsIsReportedWithItsRow() throws Exception {
        // The schema claims two classes, but one row carries a third: caught while scoring, with file and row.
        List<DatasetRow> bad = new ArrayList<>(rows.subList(0, 10));
        bad.set(3, new DatasetRow(77, new Object[] {14.0, 19.0, "left", "f", "unsure"}));
        Path other = EvaluateFixtures.dataset(dir.resolve("data-bad-row"), EvaluateFixtures.schema(CLASSES), bad);
        assertThatThrownBy(() -> new EvaluateStage().run(config(0), context("bad-row", 1, other, "cpu")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("test.avro: row 77, column 'diagnosis': found 'unsure'");
    }

    @Test
    void configurationAndDeviceErrorsNameTheFix() {
        assertThatThrownBy(() -> new EvaluateStage().run(new EvaluateConfig(null, "maybe", null, 0, null),
                context("bad-positive", 1, data, "cpu")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'maybe' is not a class of model 'lr'; its classes are [benign, malignant]")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("positive_class");
        assertThatThrownBy(() -> new EvaluateStage().run(config(0), context("cuda", 1, data, "cuda")))
                .hasMessageContaining("device 'cuda' was asked for but this build of ONNX Runtime has no CUDA provider");
        assertThatThrownBy(() -> new EvaluateStage().run(config(0), context("gpu", 1, data, "gpu")))
                .hasMessage("device 'gpu' is not one of auto, cpu, cuda, cuda:N");
    }

    @Test
    void aConfiguredPositiveClassIsUsedAndTheStageIsRegistered() throws Exception {
        LocalStageContext ctx = context("positive", 3, data, "cpu");
        StageOutput out = new EvaluateStage().run(new EvaluateConfig(null, "benign", null, 0, null), ctx);
        JsonNode json = JSON.readTree(ctx.outputDir().resolve("evaluation.json").toFile());
        assertThat(json.get("positive_class").asText()).isEqualTo("benign");
        assertThat(json.get("positive_class_source").asText()).isEqualTo("config");
        assertThat(json.get("intervals").isNull()).isTrue();
        assertThat(out.summary()).doesNotContain("[");
        assertThat(ctx.recordedMetrics()).noneMatch(m -> m.name().endsWith("_ci_low"));

        EvaluateStage stage = (EvaluateStage) StageCatalog.load().find("evaluate").orElseThrow();
        assertThat(stage.output()).isEqualTo(ArtifactKind.EVALUATION);
        assertThat(stage.inputs()).extracting(p -> p.kind()).containsExactly(ArtifactKind.MODEL, ArtifactKind.DATASET);
    }

    private static double value(List<Metric> metrics, String name, String slice) {
        return metrics.stream().filter(m -> m.name().equals(name) && java.util.Objects.equals(m.slice(), slice))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " " + slice)).value();
    }
}

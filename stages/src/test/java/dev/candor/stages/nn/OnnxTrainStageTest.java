package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnxruntime.OrtProvider;
import dev.candor.gpu.session.OrtSessions;
import dev.candor.stages.evaluate.EvaluateConfig;
import dev.candor.stages.evaluate.EvaluateStage;
import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.CsvIngestStage;
import dev.candor.stages.ingest.SplitConfig;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.LocalStageContext.Metric;
import dev.candor.stages.spi.MetricSink;
import dev.candor.stages.spi.Progress;
import dev.candor.stages.spi.StageCatalog;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train.onnx} end to end on real components: the breast-cancer CSV through {@code ingest.csv}, the network
 * trained in ONNX Runtime, and its {@code model.onnx} scored by {@code evaluate} like any other model.
 */
class OnnxTrainStageTest {
    @TempDir
    static Path dir;
    static InputArtifact dataset;

    @BeforeAll
    static void ingest() throws Exception {
        Path csv = dir.resolve("breast_cancer_wisconsin.csv");
        try (InputStream in = OnnxTrainStageTest.class.getResourceAsStream("/data/breast_cancer_wisconsin.csv")) {
            Files.copy(in, csv);
        }
        CsvIngestConfig config = new CsvIngestConfig(csv.toString(), "diagnosis", null, null, null, null, null, null,
                new SplitConfig(0.6, 0.2, 0.2), null);
        Path out = dir.resolve("data");
        new CsvIngestStage().run(config, new LocalStageContext("data", 42, List.of(), out, "cpu"));
        dataset = new InputArtifact("data", ArtifactKind.DATASET, out, "sha-breast-cancer", Map.of());
    }

    /** The compiler test's MLP recipe (mean test accuracy 0.97 over five splits), written as YAML would bind it. */
    static OnnxTrainConfig mlp(Integer epochs, String device) {
        return new OnnxTrainConfig(List.of("dense 64 relu", "dropout 0.5"), null, null,
                new OnnxTrainConfig.Optimizer("adam", 0.001, 1e-4, null, null, null, null, null), epochs, 32,
                new OnnxTrainConfig.EarlyStop("val_loss", 15, null),
                new OnnxTrainConfig.LrSchedule("cosine", 2, null, null, 1e-4), null, null, null, null, device, null);
    }

    static LocalStageContext context(String name, long seed, String device) {
        return new LocalStageContext("mlp", seed, List.of(dataset), dir.resolve(name), device);
    }

    /** Runs {@code evaluate} on the model the context wrote and returns its test metrics (whole split) by name. */
    static Map<String, Double> evaluate(LocalStageContext trained, String name) throws Exception {
        LocalStageContext ctx = new LocalStageContext("eval_mlp", 5, List.of(
                new InputArtifact("mlp", ArtifactKind.MODEL, trained.outputDir(), "sha-model", Map.of()), dataset),
                dir.resolve(name), "cpu");
        new EvaluateStage().run(new EvaluateConfig(null, "malignant", null, 0, null), ctx);
        Map<String, Double> m = new LinkedHashMap<>();
        for (Metric r : ctx.recordedMetrics()) if (r.slice() == null && "test".equals(r.split())) m.put(r.name(), r.value());
        return m;
    }

    @Test
    void mlpLearnsBreastCancerAndEvaluateScoresItsModelAboveNinetyFivePercent() throws Exception {
        LocalStageContext ctx = context("mlp", 7, "cpu");
        long t0 = System.nanoTime();
        StageOutput out = new OnnxTrainStage().run(mlp(100, null), ctx);
        double seconds = (System.nanoTime() - t0) / 1e9;

        List<Metric> metrics = ctx.recordedMetrics();
        int epochsRun = (int) single(metrics, "epochs_run", null);
        int bestEpoch = (int) single(metrics, "best_epoch", null);
        assertThat(epochsRun).isBetween(bestEpoch, 100);
        assertThat(epochsRun == 100 || epochsRun == bestEpoch + 15).as("early stopping after 15 epochs without gain").isTrue();
        for (String series : List.of("train_loss", "val_loss", "val_accuracy")) {
            List<String> slices = metrics.stream().filter(m -> m.name().equals(series) && m.slice() != null)
                    .map(Metric::slice).toList();
            assertThat(slices).as(series).hasSize(epochsRun).startsWith("epoch=1").endsWith("epoch=" + epochsRun);
        }
        assertThat(metrics).filteredOn(m -> m.name().equals("train_loss")).allMatch(m -> m.split().equals("train"));
        assertThat(metrics).filteredOn(m -> m.name().equals("val_loss")).allMatch(m -> m.split().equals("validation"));
        double firstLoss = point(metrics, "val_loss", 1);
        assertThat(point(metrics, "val_loss", bestEpoch)).isLessThan(firstLoss);
        assertThat(single(metrics, "val_accuracy", null)).isEqualTo(point(metrics, "val_accuracy", bestEpoch));
        assertThat(single(metrics, "train_accuracy", null)).isGreaterThan(0.95);

        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(ctx.outputDir().resolve(ModelMetadata.MODEL_FILE)));
        ModelMetadata meta = ModelMetadata.fromProperties(model.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue)));
        assertThat(meta.modelType()).isEqualTo("mlp");
        assertThat(meta.labels()).containsExactly("benign", "malignant");
        assertThat(meta.encoder().width()).isEqualTo(30);
        assertThat(meta.trainingDataSha256()).isEqualTo("sha-breast-cancer");
        assertThat(meta.trainer()).contains("dense 64 relu").contains("adam").contains("seed 7");
        assertThat(out.metadata()).containsEntry("model_type", "mlp").containsEntry("device", "cpu");

        Map<String, Double> test = evaluate(ctx, "eval");
        System.out.printf("train.onnx breast-cancer MLP: %.1f s, %d epochs (best %d), val acc %.4f, test accuracy %.4f,"
                        + " roc_auc %.4f, log_loss %.4f%n", seconds, epochsRun, bestEpoch,
                single(metrics, "val_accuracy", null), test.get("accuracy"), test.get("roc_auc"), test.get("log_loss"));
        assertThat(test.get("accuracy")).isGreaterThanOrEqualTo(0.95);
        assertThat(test.get("roc_auc")).isGreaterThan(0.98);
    }

    @Test
    void sameSeedWritesIdenticalModelBytesAndAnotherSeedDoesNot() throws Exception {
        byte[] a = train("seed-a", 3);
        byte[] b = train("seed-b", 3);
        byte[] c = train("seed-c", 4);
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }

    /**
     * steps_per_call 8 runs the train steps in groups of 8 inside one ONNX Loop; the graph and its weights are the
     * same, byte for byte (the metadata differs only in the config it records).
     */
    @Test
    void stepsPerCallEightWritesTheSameGraphBytesAsOne() throws Exception {
        byte[] one = train("spc-1", 3);
        LocalStageContext ctx = context("spc-8", 3, "cpu");
        new OnnxTrainStage().run(mlp(5, null).withStepsPerCall(8), ctx);
        byte[] eight = Files.readAllBytes(ctx.outputDir().resolve(ModelMetadata.MODEL_FILE));
        assertThat(eight).isNotEqualTo(one);
        assertThat(ai.onnx.proto.OnnxMl.ModelProto.parseFrom(eight).getGraph().toByteArray())
                .isEqualTo(ai.onnx.proto.OnnxMl.ModelProto.parseFrom(one).getGraph().toByteArray());
    }

    private static byte[] train(String name, long seed) throws Exception {
        LocalStageContext ctx = context(name, seed, "cpu");
        new OnnxTrainStage().run(mlp(5, null), ctx);
        return Files.readAllBytes(ctx.outputDir().resolve(ModelMetadata.MODEL_FILE));
    }

    @Test
    void reportsProgressPerEpoch() throws Exception {
        LocalStageContext local = context("progress", 1, "cpu");
        List<String> seen = new java.util.ArrayList<>();
        Progress progress = (unit, done, total) -> seen.add(unit + " " + done + "/" + total);
        StageContext ctx = new StageContext() {
            @Override public String runId() { return local.runId(); }
            @Override public String stageId() { return local.stageId(); }
            @Override public long seed() { return local.seed(); }
            @Override public List<InputArtifact> inputs() { return local.inputs(); }
            @Override public Path outputDir() { return local.outputDir(); }
            @Override public Path scratchDir() { return local.scratchDir(); }
            @Override public PipelineOptions beamOptions() { return local.beamOptions(); }
            @Override public String device() { return local.device(); }
            @Override public MetricSink metrics() { return local.metrics(); }
            @Override public dev.candor.stages.spi.FindingSink findings() { return local.findings(); }
            @Override public Progress progress() { return progress; }
        };
        new OnnxTrainStage().run(mlp(3, null), ctx);
        assertThat(seen).containsExactly("epochs 0/3", "epochs 1/3", "epochs 2/3", "epochs 3/3");
    }

    /** Binary cross-entropy with class weights: the graph's two columns are [benign, malignant] as evaluate reads them. */
    @Test
    void binaryCrossEntropyModelIsScoredInClassOrder() throws Exception {
        LocalStageContext ctx = context("bce", 11, "cpu");
        OnnxTrainConfig config = new OnnxTrainConfig(List.of("dense 16 tanh"), "binary-cross-entropy",
                Map.of("malignant", 2.0), new OnnxTrainConfig.Optimizer("nesterov", 0.05, null, null, null, null, null, null),
                20, 32, null, null, null, 1e-4, 5.0, null, null, null);
        new OnnxTrainStage().run(config, ctx);
        assertThat(single(ctx.recordedMetrics(), "epochs_run", null)).isEqualTo(20);
        assertThat(evaluate(ctx, "eval-bce").get("accuracy")).isGreaterThan(0.93);
    }

    /** MSE regresses the one-hot targets; the exported outputs are clipped and normalized into probabilities. */
    @Test
    void mseModelOutputsProbabilitiesEvaluateCanScore() throws Exception {
        LocalStageContext ctx = context("mse", 13, "cpu");
        OnnxTrainConfig config = new OnnxTrainConfig(List.of("dense 16 relu"), "mse", null,
                new OnnxTrainConfig.Optimizer("adam", 0.01, null, null, null, null, null, null), 30, 32, null, null,
                null, null, null, null, null, null);
        new OnnxTrainStage().run(config, ctx);
        Map<String, Double> test = evaluate(ctx, "eval-mse");
        System.out.printf("train.onnx MSE: train accuracy %.4f, test %s%n",
                single(ctx.recordedMetrics(), "train_accuracy", null), test);
        assertThat(test.get("accuracy")).isGreaterThan(0.9);
        assertThat(test.get("log_loss")).isFinite().isPositive();
        assertThat(test.get("brier")).isBetween(0.0, 0.2);
    }

    @Test
    void configMistakesAreReportedAtTheirKeys() {
        assertThatThrownBy(() -> OnnxTrainConfig.of(List.of("dense 64 relu", "dense sixty")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("layers"))
                .hasMessageContaining("layer 2 'dense sixty'").hasMessageContaining("unit count");
        assertThatThrownBy(() -> OnnxTrainConfig.of(List.of("densely 64")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("layers"))
                .hasMessageContaining("unknown layer kind 'densely'");
        assertThatThrownBy(() -> new OnnxTrainConfig.Optimizer("adamax", null, null, null, null, null, null, null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("name"))
                .hasMessageContaining("unknown optimizer 'adamax'");
        for (double lr : new double[] {0, -0.1, Double.NaN}) {
            assertThatThrownBy(() -> new OnnxTrainConfig.Optimizer("sgd", lr, null, null, null, null, null, null))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("lr"))
                    .hasMessageContaining("must be a number > 0");
        }
        assertThatThrownBy(() -> new OnnxTrainConfig(List.of(), "huber", null, null, null, null, null, null, null, null,
                null, null, null, null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("loss"));
        assertThatThrownBy(() -> new OnnxTrainConfig(List.of(), null, null, null, 0, null, null, null, null, null,
                null, null, null, null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("epochs"));
        assertThatThrownBy(() -> new OnnxTrainConfig(List.of(), null, null, null, null, null, null, null, null, null,
                null, null, "gpu", null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("device"));
        assertThatThrownBy(() -> new OnnxTrainConfig(List.of(), "mse", null, null, null, null,
                new OnnxTrainConfig.EarlyStop("val_accuracy", 5, null), null, null, null, null, null, null, null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("early_stopping"));
        assertThatThrownBy(() -> new OnnxTrainConfig.EarlyStop("accuracy", 5, null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("monitor"));
        assertThatThrownBy(() -> new OnnxTrainConfig.LrSchedule("linear", null, null, null, null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("kind"));

        assertThatThrownBy(() -> OnnxTrainConfig.of(List.of()).withStepsPerCall(0))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("steps_per_call"));
        assertThatThrownBy(() -> OnnxTrainConfig.of(List.of()).withStepsPerCall(4)
                .withPrivacy(new OnnxTrainConfig.Privacy(null, 1.0, 1e-5, 1.0)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage()).contains("must be 1 with privacy"));

        OnnxTrainConfig defaults = OnnxTrainConfig.of(List.of("dense 8 relu"));
        assertThat(defaults.stepsPerCall()).isEqualTo(1);
        assertThat(defaults.loss()).isEqualTo("cross-entropy");
        assertThat(defaults.optimizer().name()).isEqualTo("adam");
        assertThat(defaults.optimizer().lr()).isEqualTo(0.001);
        assertThat(defaults.epochs()).isEqualTo(50);
        assertThat(defaults.batch()).isEqualTo(64);
        assertThat(defaults.earlyStopping()).isNull();
    }

    /** Mistakes only the data reveals: a class weight for a class the label lacks, a conv layer on flat features. */
    @Test
    void mistakesAgainstTheDataAreConfigErrorsBeforeTraining() {
        OnnxTrainConfig weights = new OnnxTrainConfig(List.of("dense 8 relu"), null, Map.of("cancer", 2.0), null, 1,
                null, null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> new OnnxTrainStage().run(weights, context("bad-weights", 1, "cpu")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("class_weights"))
                .hasMessageContaining("'cancer'").hasMessageContaining("[benign, malignant]");
        assertThatThrownBy(() -> new OnnxTrainStage().run(OnnxTrainConfig.of(List.of("conv 8 3x3 relu")),
                context("bad-conv", 1, "cpu")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("layers"))
                .hasMessageContaining("conv");
        OnnxTrainConfig shape = new OnnxTrainConfig(List.of("conv 4 3x3 relu", "flatten"), null, null, null, 1, null,
                null, null, null, null, null, List.of(1, 5, 5), null, null);
        assertThatThrownBy(() -> new OnnxTrainStage().run(shape, context("bad-shape", 1, "cpu")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("input_shape"))
                .hasMessageContaining("25 values").hasMessageContaining("30 encoded features");
    }

    /**
     * Found by the fuzzer (issue 9): a learning rate far too large made the losses NaN, and the stage failed on the
     * registry's refusal of a NaN metric ("metric 'train_loss' is NaN", exit 1). Divergence is now said as such, at
     * the optimizer's key: configuration the data contradicts (exit 2).
     */
    @Test
    void aTrainingThatDivergesIsAConfigErrorAtTheOptimizerNotANanMetric() {
        OnnxTrainConfig huge = new OnnxTrainConfig(List.of("dense 16 relu"), null, null,
                new OnnxTrainConfig.Optimizer("sgd", 1e9, null, null, null, null, null, null), 3, null, null, null, null,
                null, null, null, null, null);
        LocalStageContext ctx = context("diverged", 1, "cpu");
        assertThatThrownBy(() -> new OnnxTrainStage().run(huge, ctx))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("optimizer"))
                .hasMessageMatching("training diverged at epoch [123] of 3: the train loss is NaN.*")
                .hasMessageContaining("lower the learning rate (optimizer.lr, now 1.0E9)");
        assertThat(ctx.recordedMetrics()).as("no NaN was recorded").allSatisfy(m -> assertThat(m.value()).isFinite());
    }

    /** This machine's ONNX Runtime build has no CUDA provider: asking for CUDA fails clearly, from config or pipeline. */
    @Test
    void isFoundInTheCatalogAndTakesOneDatasetToAModel() {
        assertThat(StageCatalog.load().find("train.onnx")).get().isInstanceOf(OnnxTrainStage.class);
        OnnxTrainStage stage = new OnnxTrainStage();
        assertThat(stage.output()).isEqualTo(ArtifactKind.MODEL);
        assertThat(stage.inputs()).singleElement().satisfies(p -> assertThat(p.kind()).isEqualTo(ArtifactKind.DATASET));
    }

    @Test
    void cudaWithoutACudaBuildFailsWithTheSessionFactorysMessage() {
        // A -Pcuda build has the provider; there the error (if any) depends on the machine, not on this stage.
        Assumptions.assumeFalse(OrtSessions.availableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime build has a CUDA provider");
        assertThatThrownBy(() -> new OnnxTrainStage().run(mlp(1, "cuda"), context("cuda-config", 1, "cpu")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device 'cuda'").hasMessageContaining("no CUDA provider")
                .hasMessageContaining("use device: auto");
        assertThatThrownBy(() -> new OnnxTrainStage().run(mlp(1, null), context("cuda-pipeline", 1, "cuda:1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device 'cuda:1'").hasMessageContaining("no CUDA provider");
    }

    private static double single(List<Metric> metrics, String name, String slice) {
        List<Metric> found = metrics.stream()
                .filter(m -> m.name().equals(name) && java.util.Objects.equals(m.slice(), slice)).toList();
        assertThat(found).as(name + " " + slice).hasSize(1);
        return found.get(0).value();
    }

    private static double point(List<Metric> metrics, String name, int epoch) {
        return single(metrics, name, "epoch=" + epoch);
    }
}

package dev.candor.pipeline.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.pipeline.exec.EngineSettings;
import dev.candor.pipeline.exec.Executor;
import dev.candor.pipeline.exec.RunListener;
import dev.candor.pipeline.exec.RunResult;
import dev.candor.pipeline.exec.StageOutcome;
import dev.candor.pipeline.spec.PipelineLoader;
import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.store.ArtifactStore;
import dev.candor.registry.DbConfig;
import dev.candor.registry.MetricView;
import dev.candor.registry.RegistryDb;
import dev.candor.registry.RunDetail;
import dev.candor.stages.model.EncodedFeature;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.StageCatalog;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped examples, run by the real engine with the real stages on the embedded defaults. */
class ExamplePipelinesTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final StageCatalog CATALOG = StageCatalog.load();

    @TempDir
    Path dir;

    static Map<String, Double> testMetrics(RunDetail d) {
        return d.metrics().stream().filter(m -> "test".equals(m.split()))
                .collect(Collectors.toMap(m -> m.stageId() + "/" + m.name() + (m.slice() == null ? "" : "[" + m.slice() + "]"),
                        MetricView::value));
    }

    static String decisions(RunResult r) {
        return r.stages().stream().map(s -> s.stageId() + "=" + (s.cached() ? "cached" : s.status().name().toLowerCase()))
                .collect(Collectors.joining(" "));
    }

    @Test
    void breastCancerMeetsItsBarCachesAndRerunsOnlyWhatChanged() throws Exception {
        Path example = dir.resolve("breast-cancer");
        Files.createDirectories(example.resolve("data"));
        Files.copy(EXAMPLES.resolve("breast-cancer/data/breast_cancer_wisconsin.csv"), example.resolve("data/breast_cancer_wisconsin.csv"));
        String yaml = Files.readString(EXAMPLES.resolve("breast-cancer/pipeline.yaml"));
        Path file = example.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        PipelineLoader loader = new PipelineLoader(CATALOG, List.of());

        try (RegistryDb db = RegistryDb.open(DbConfig.h2(dir.resolve("home")))) {
            Executor executor = new Executor(CATALOG, new ArtifactStore(dir.resolve("home/artifacts")), db.registry(), EngineSettings.defaults());
            RunResult first = executor.run(loader.load(file), RunListener.NONE);
            assertThat(first.succeeded()).as(first.failure()).isTrue();
            assertThat(first.gates()).as("the example's gates").hasSize(2)
                    .allSatisfy(g -> assertThat(g.passed()).as(g.detail()).isTrue());
            Map<String, Double> metrics = testMetrics(db.registry().getRun(first.runId()).orElseThrow());
            assertThat(metrics.get("eval_lr/roc_auc")).as("logistic regression test ROC AUC").isGreaterThanOrEqualTo(0.97);
            assertThat(metrics.get("eval_mlp/accuracy")).as("train.onnx MLP test accuracy").isGreaterThanOrEqualTo(0.95);
            assertThat(metrics).containsKeys("eval_lr/accuracy", "eval_lr/balanced_accuracy", "eval_lr/f1_macro",
                    "eval_lr/log_loss", "eval_lr/brier", "eval_lr/roc_auc_ci_low", "eval_forest/roc_auc",
                    "eval_lr/confusion[actual=malignant,predicted=malignant]",
                    "why_lr/mean_abs_shap[feature=worst_radius,class=malignant]", "why_forest/explained_rows",
                    "why_mlp/ig.completeness_gap_max", "lime_lr/lime.fidelity_mean",
                    "importance_forest/permutation_importance[feature=worst_radius]");

            RunResult again = executor.run(loader.load(file), RunListener.NONE);
            assertThat(again.stages()).as(decisions(again)).allMatch(StageOutcome::cached);
            assertThat(testMetrics(db.registry().getRun(again.runId()).orElseThrow())).isEqualTo(metrics);

            Files.writeString(file, yaml.replace("epochs: 30", "epochs: 20"));
            RunResult changed = executor.run(loader.load(file), RunListener.NONE);
            assertThat(decisions(changed)).isEqualTo("data=cached lr=succeeded forest=cached mlp=cached eval_lr=succeeded"
                    + " eval_forest=cached eval_mlp=cached why_lr=succeeded why_forest=cached why_mlp=cached lime_lr=succeeded importance_forest=cached"
                    + " privacy=cached privacy_forest=cached");
            assertThat(changed.stages().get(1).reason()).isEqualTo("its configuration changed");
        }

        // Same YAML and data in a fresh home: the same metrics, bit for bit.
        Files.writeString(file, yaml);
        try (RegistryDb db = RegistryDb.open(DbConfig.h2(dir.resolve("home2")))) {
            Executor executor = new Executor(CATALOG, new ArtifactStore(dir.resolve("home2/artifacts")), db.registry(), EngineSettings.defaults());
            RunResult fresh = executor.run(new PipelineLoader(CATALOG, List.of()).load(file), RunListener.NONE);
            assertThat(fresh.stages()).noneMatch(StageOutcome::cached);
            try (RegistryDb first = RegistryDb.open(DbConfig.h2(dir.resolve("home")))) {
                String firstRun = first.registry().listRuns(10).get(2).id();
                assertThat(testMetrics(db.registry().getRun(fresh.runId()).orElseThrow()))
                        .isEqualTo(testMetrics(first.registry().getRun(firstRun).orElseThrow()));
            }
        }
    }

    @Test
    void creditRiskRunsWithProtectedAttributesKeptOutOfTheFeatures() throws Exception {
        PipelineSpec spec = new PipelineLoader(CATALOG, List.of()).load(EXAMPLES.resolve("credit-risk/pipeline.yaml"));
        try (RegistryDb db = RegistryDb.open(DbConfig.h2(dir.resolve("home")))) {
            Executor executor = new Executor(CATALOG, new ArtifactStore(dir.resolve("home/artifacts")), db.registry(), EngineSettings.defaults());
            RunResult r = executor.run(spec, RunListener.NONE);
            assertThat(r.succeeded()).as(r.failure()).isTrue();
            Map<String, Double> metrics = testMetrics(db.registry().getRun(r.runId()).orElseThrow());
            assertThat(metrics.get("eval_lr/roc_auc")).isBetween(0.6, 1.0);
            assertThat(metrics.get("eval_gbt/roc_auc")).isBetween(0.6, 1.0);
            // Reason codes for the boosted model's rejections: every test row decided, some rejected, each with reasons.
            assertThat(metrics.get("reasons_gbt/reasons.rows")).isEqualTo(200.0);
            assertThat(metrics.get("reasons_gbt/reasons.adverse_rows")).isBetween(1.0, 199.0);
            assertThat(metrics.get("reasons_gbt/reason_frequency[feature=checking_status]")).isBetween(0.0, 1.0);
            RunDetail d = db.registry().getRun(r.runId()).orElseThrow();
            for (String model : List.of("lr", "gbt")) {
                Path onnx = Path.of(java.net.URI.create(d.stages().stream().filter(s -> s.stageId().equals(model))
                        .findFirst().orElseThrow().output().uri())).resolve(ModelMetadata.MODEL_FILE);
                try (OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx.toString())) {
                    ModelMetadata meta = ModelMetadata.fromProperties(session.getMetadata().getCustomMetadata());
                    assertThat(meta.encoder().features()).extracting(EncodedFeature::column)
                            .as("model %s's inputs", model).doesNotContain("sex", "age", "personal_status").contains("duration");
                    assertThat(meta.labels()).containsExactly("bad", "good");
                }
            }
        }
    }
}

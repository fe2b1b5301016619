package dev.candor.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.pipeline.spec.PipelineLoader;
import dev.candor.pipeline.store.ArtifactStore;
import dev.candor.registry.DbConfig;
import dev.candor.registry.MetricView;
import dev.candor.registry.RegistryDb;
import dev.candor.registry.RunDetail;
import dev.candor.registry.StageRunView;
import dev.candor.stages.spi.StageCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the breast-cancer ingest, logistic regression and evaluation on the DirectRunner and on another runner, and
 * checks the product's determinism promise across runners: every metric equal, the dataset and model files identical.
 */
final class RunnerParity {
    static final Path EXAMPLE = Path.of("..", "examples", "breast-cancer").toAbsolutePath().normalize();
    static final StageCatalog CATALOG = StageCatalog.load();
    static final String PIPELINE = """
            apiVersion: candor/v1
            kind: Pipeline
            metadata: {name: breast-cancer-runner-parity}
            spec:
              seed: 42
              runner: direct
              stages:
                - id: data
                  type: ingest.csv
                  with: {path: data/breast_cancer_wisconsin.csv, label: diagnosis, missing: error, split: {train: 0.7, validation: 0.1, test: 0.2}}
                - id: lr
                  type: train.tribuo
                  inputs: [data]
                  with: {algorithm: logistic-regression, epochs: 30, learning_rate: 0.5}
                - id: eval_lr
                  type: evaluate
                  inputs: [lr]
                  with: {positive_class: malignant}
              gates: ["eval_lr.roc_auc >= 0.95"]
            """;

    private RunnerParity() {
    }

    /** Runs the pipeline on {@code direct} and on {@code runner} in fresh homes under {@code dir}, and compares. */
    static void assertSameAsDirect(Path dir, String runner) throws Exception {
        Path example = dir.resolve("breast-cancer");
        Files.createDirectories(example.resolve("data"));
        Files.copy(EXAMPLE.resolve("data/breast_cancer_wisconsin.csv"), example.resolve("data/breast_cancer_wisconsin.csv"));
        Path file = example.resolve("pipeline.yaml");
        Files.writeString(file, PIPELINE);

        Outcome direct = run(dir, file, "direct");
        Outcome other = run(dir, file, runner);

        assertThat(other.detail.runner()).isEqualTo(runner);
        assertThat(direct.metrics.get("eval_lr/roc_auc@test")).isGreaterThanOrEqualTo(0.97);
        assertThat(other.metrics).as("every metric of every stage and split").isEqualTo(direct.metrics);
        for (String stage : List.of("data", "lr")) {
            Map<String, byte[]> onDirect = files(direct.outputOf(stage));
            assertThat(onDirect).as("stage %s wrote files", stage).isNotEmpty();
            Map<String, byte[]> onOther = files(other.outputOf(stage));
            assertThat(onOther.keySet()).as("stage %s's files", stage).isEqualTo(onDirect.keySet());
            onDirect.forEach((name, bytes) -> assertThat(onOther.get(name)).as("%s/%s byte for byte", stage, name).isEqualTo(bytes));
        }
    }

    record Outcome(RunDetail detail, Map<String, Double> metrics) {
        Path outputOf(String stageId) {
            StageRunView s = detail.stages().stream().filter(v -> v.stageId().equals(stageId)).findFirst().orElseThrow();
            return Path.of(URI.create(s.output().uri()));
        }
    }

    private static Outcome run(Path dir, Path file, String runner) throws Exception {
        Path home = dir.resolve("home-" + runner);
        try (RegistryDb db = RegistryDb.open(DbConfig.h2(home))) {
            Executor executor = new Executor(CATALOG, new ArtifactStore(home.resolve("artifacts")), db.registry(),
                    new EngineSettings(EngineVersion.get(), runner, null, 1, null));
            long start = System.nanoTime();
            RunResult r = executor.run(new PipelineLoader(CATALOG, List.of()).load(file), RunListener.NONE);
            System.out.printf("runner %s: %.1f s%n", runner, (System.nanoTime() - start) / 1e9);
            assertThat(r.succeeded()).as(r.failure()).isTrue();
            RunDetail d = db.registry().getRun(r.runId()).orElseThrow();
            Map<String, Double> metrics = d.metrics().stream().collect(Collectors.toMap(
                    m -> m.stageId() + "/" + m.name() + "@" + m.split() + (m.slice() == null ? "" : "[" + m.slice() + "]"),
                    MetricView::value, (a, b) -> a, TreeMap::new));
            return new Outcome(d, metrics);
        }
    }

    private static Map<String, byte[]> files(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            Map<String, byte[]> out = new TreeMap<>();
            for (Path p : walk.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

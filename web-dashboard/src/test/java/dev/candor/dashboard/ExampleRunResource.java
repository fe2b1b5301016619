package dev.candor.dashboard;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Before the dashboard starts: runs the breast-cancer example through the real {@code ./candor} launcher (a separate
 * JVM, as a user would) into a fresh Candor home, then a small pipeline on the same data with another seed (to compare
 * with), and points the dashboard at that home's registry.
 */
public class ExampleRunResource implements QuarkusTestResourceLifecycleManager {
    static Path home;

    static Path install() {
        String dir = System.getProperty("candor.install");
        if (dir == null) throw new IllegalStateException("system property candor.install (the repository root) is not set");
        return Path.of(dir);
    }

    /** A second, small run to compare with the example: its eval_lr on another seed's split (a few seconds). */
    static final String SMALL = """
            apiVersion: candor/v1
            kind: Pipeline
            metadata:
              name: breast-cancer-small
            spec:
              seed: 7
              runner: direct
              device: auto
              stages:
                - id: data
                  type: ingest.csv
                  with:
                    path: data/breast_cancer_wisconsin.csv
                    label: diagnosis
                    missing: error
                    split: {train: 0.7, validation: 0.1, test: 0.2}
                - id: lr
                  type: train.tribuo
                  inputs: [data]
                  with:
                    algorithm: logistic-regression
                    epochs: 10
                    learning_rate: 0.5
                - id: eval_lr
                  type: evaluate
                  inputs: [lr]
                  with:
                    positive_class: malignant
            """;

    @Override
    public Map<String, String> start() {
        try {
            home = Files.createTempDirectory("candor-dashboard-test-");
            run(install().resolve("examples/breast-cancer/pipeline.yaml"), home.resolve("run.log"));
            Path small = Files.createDirectories(home.resolve("small/data"));
            Files.copy(install().resolve("examples/breast-cancer/data/breast_cancer_wisconsin.csv"),
                    small.resolve("breast_cancer_wisconsin.csv"));
            Files.writeString(small.getParent().resolve("pipeline.yaml"), SMALL);
            run(small.getParent().resolve("pipeline.yaml"), home.resolve("small.log"));
            return Map.of("candor.home", home.toString(), "candor.db.url", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void run(Path pipeline, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(install().resolve("candor").toString(), "run", pipeline.toString(),
                "--home", home.toString(), "--plain"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("./candor run " + pipeline + " did not finish in 10 minutes; output:\n" + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("./candor run " + pipeline + " exited " + p.exitValue() + "; output:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void stop() {
    }
}

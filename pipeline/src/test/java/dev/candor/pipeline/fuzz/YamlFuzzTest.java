package dev.candor.pipeline.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.pipeline.cli.CandorCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated pipeline files through the real {@code candor validate} and {@code candor run} (issue 9): whatever the file
 * holds, the command ends with an exit code that keeps its meaning (never 1, never an escaped exception), prints no
 * stack trace or exception class name and at most {@value FuzzChecks#MAX_OUTPUT} characters, names file:line:col for
 * each mistake, stays within its time bound, and leaves no run RUNNING. The seeds are the example pipelines and the
 * valid and broken corpora; {@link YamlMutator} says what is done to them. Case counts: {@code -Dcandor.fuzz.validate},
 * {@code -Dcandor.fuzz.runs} ({@code -Pfuzz} sets thousands); counts by exit code in {@code target/fuzz/}.
 */
class YamlFuzzTest {
    static final Duration VALIDATE_BOUND = Duration.ofSeconds(5);
    static final Duration RUN_BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A seed pipeline, in a directory holding a copy of the data it names. */
    record Seed(String name, String text, Path dir) { }

    private List<Seed> seeds() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (String example : List.of("breast-cancer", "credit-risk")) {
            Path from = Path.of("..", "examples", example);
            Path to = copyData(from.resolve("data"), dir.resolve(example));
            seeds.add(new Seed(example, Files.readString(from.resolve("pipeline.yaml")), to));
        }
        for (String corpus : List.of("valid", "broken")) {
            Path from = Path.of("src", "test", "resources", corpus);
            Path to = copyData(from.resolve("data"), dir.resolve(corpus));
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    seeds.add(new Seed(corpus + "/" + f.getFileName(), Files.readString(f), to));
                }
            }
        }
        return seeds;
    }

    private static Path copyData(Path data, Path to) throws IOException {
        Files.createDirectories(to.resolve("data"));
        try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve("data").resolve(f.getFileName()));
        }
        return to;
    }

    @Test
    void mutatedPipelinesThroughValidateExitZeroOrTwoWithTheirPlaceNeverACrashOrAHang() throws IOException {
        FuzzReport report = new FuzzReport("yaml-validate");
        List<Seed> seeds = seeds();
        int valid = (int) seeds.stream().filter(s -> !s.name().startsWith("broken/")).count();
        // Warm up (class loading, the stage catalog) on an unmutated seed: each case's bound is for a warm process.
        Seed first = seeds.get(0);
        FuzzCli.Outcome warm = FuzzCli.run(RUN_BOUND, "validate",
                write(first.dir().resolve("case.yaml"), first.text().getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(warm.code()).as("the example %s is valid: %s", first.name(), warm.all()).isEqualTo(CandorCli.OK);
        int n = FuzzReport.cases("validate", 1000);
        for (int i = 0; i < n; i++) {
            SplittableRandom r = report.random("validate", i);
            // Mostly the valid files (mutations of a broken one mostly stay broken in the same way).
            List<Seed> from = r.nextInt(4) == 0 ? seeds.subList(valid, seeds.size()) : seeds.subList(0, valid);
            Seed seed = YamlMutator.pick(r, from);
            YamlMutator.Mutated m = YamlMutator.mutate(seed.text(), r);
            Path file = write(seed.dir().resolve("case.yaml"), m.bytes());
            FuzzCli.Outcome o = FuzzCli.run(VALIDATE_BOUND.multipliedBy(2), "validate", file.toString());
            List<String> problems = new ArrayList<>(FuzzChecks.general(o, Set.of(CandorCli.OK, CandorCli.SPEC_ERROR),
                    m.text(), VALIDATE_BOUND));
            if (problems.isEmpty() && o.code() == CandorCli.SPEC_ERROR) {
                problems.addAll(FuzzChecks.yamlPlaces(o, file, lineCount(m)));
            } else if (problems.isEmpty() && !o.out().contains(": valid — pipeline '")) {
                problems.add("exit 0 without saying the file is valid: " + FuzzChecks.cut(o.all()));
            }
            report.add("validate", i, m.ops(), o, Map.of("pipeline.yaml", m.bytes()), problems);
        }
        report.finish();
        assertThat(report.exits("validate")).as("the fuzzer reaches valid and invalid files")
                .containsKeys(CandorCli.OK, CandorCli.SPEC_ERROR);
    }

    /**
     * A small pipeline that runs in a few seconds (ingest, logistic regression, evaluation with fairness, a gate),
     * changed as a user would: other algorithms, labels, splits, classes, protected attributes, bins, gates, options,
     * plus now and then one of the validate mutations. Most still run, and fail, when they do, on their data or on
     * configuration the data contradicts: exit 2, recorded, never 1.
     */
    static final String RUN_SEED = """
            apiVersion: candor/v1
            kind: Pipeline
            metadata: {name: fuzz-run}
            spec:
              seed: 5
              stages:
                - id: data
                  type: ingest.csv
                  with: {path: data.csv, label: label, id: id, protected: [sex], missing: error, split: {train: 0.6, validation: 0.2, test: 0.2}}
                - id: lr
                  type: train.tribuo
                  inputs: [data]
                  with: {algorithm: logistic-regression, epochs: 5}
                - id: eval
                  type: evaluate
                  inputs: [lr]
                  with: {positive_class: yes, bootstrap: 20, fairness: {favourable: yes}}
              gates: ["eval.roc_auc >= 0.5"]
            """;

    static final List<YamlMutator.Plausible> RUN_SWAPS = List.of(
            new YamlMutator.Plausible("algorithm", "logistic-regression", List.of("cart", "random-forest", "xgboost",
                    "logistic-regression, epochs: 0", "cart, max_depth: 1000000", "xgboost, trees: 0")),
            new YamlMutator.Plausible("label", "label: label", List.of("label: city", "label: age", "label: sex",
                    "label: nope", "label: id", "label: score", "label: LABEL")),
            new YamlMutator.Plausible("positive-class", "positive_class: yes", List.of("positive_class: maybe",
                    "positive_class: \"1\"", "positive_class: no", "positive_class: \"\"", "positive_class: Yes")),
            new YamlMutator.Plausible("protected", "protected: \\[sex\\]", List.of("protected: [city]", "protected: []",
                    "protected: [age]", "protected: [nope]", "protected: [sex, city]", "protected: [label]")),
            new YamlMutator.Plausible("split", "split: \\{[^}]*\\}", List.of("split: {train: 0.98, validation: 0.01, test: 0.01}",
                    "split: {train: 0.1, validation: 0.0, test: 0.9}", "split: {train: 1.0, validation: 0, test: 0}",
                    "split: {train: 0.5, validation: 0.5, test: 0}", "split: {train: 0.34, validation: 0.33, test: 0.33}")),
            new YamlMutator.Plausible("missing", "missing: error", List.of("missing: drop", "missing: impute-mean",
                    "missing: impute-mode", "missing: ignore")),
            new YamlMutator.Plausible("bootstrap", "bootstrap: 20", List.of("bootstrap: 0", "bootstrap: 1",
                    "bootstrap: 2000", "bootstrap: -1", "bootstrap: 1e400")),
            new YamlMutator.Plausible("fairness", "fairness: \\{favourable: yes\\}", List.of("fairness: {favourable: no}",
                    "fairness: {favourable: maybe}", "fairness: {bins: {age: [0, 30, 200]}}", "fairness: {bins: {age: [200, 0]}}",
                    "fairness: {privileged: {sex: other}}", "fairness: {min_group: 0}", "fairness: {min_group: 1000000}",
                    "fairness: {intersections: [[sex, city]]}", "fairness: {bins: {sex: [0, 1]}}")),
            new YamlMutator.Plausible("gate", "\"eval.roc_auc >= 0.5\"", List.of("\"eval.roc_auc >= 2\"",
                    "\"eval.fairness.sex.disparate_impact >= 0.8\"", "\"eval.fairness.nope.disparate_impact >= 0.8\"",
                    "\"eval.accuracy >= eval.balanced_accuracy\"", "\"eval.roc_auc >= 0.5 and not (eval.log_loss > 1e9)\"",
                    "\"eval.roc_auc != eval.roc_auc\"")),
            new YamlMutator.Plausible("columns", "missing: error", List.of("missing: error, columns: {age: categorical}",
                    "missing: error, columns: {sex: numeric}", "missing: error, columns: {label: numeric}",
                    "missing: error, delimiter: \";\"", "missing: error, ignore: [income, age, city, score]",
                    "missing: error, quasi_identifiers: [age, sex]", "missing: error, quasi_identifiers: [nope]",
                    "missing: error, encoding: iso-8859-1", "missing: error, ignore: [label]", "missing: error, id: age")),
            new YamlMutator.Plausible("trainer", "type: train.tribuo\n(\\s+)inputs: \\[data\\]\n\\s+with: \\{[^\n]*\\}", List.of(
                    "type: train.tribuo\n      inputs: [data]\n      with: {algorithm: logistic-regression, epochs: 5, learning_rate: 1e9}",
                    "type: train.tribuo\n      inputs: [data]\n      with: {algorithm: xgboost, trees: 1, max_depth: 1, eta: 1}",
                    "type: train.tribuo\n      inputs: [data]\n      with: {algorithm: random-forest, trees: 2, max_depth: 1}",
                    "type: train.tribuo\n      inputs: [data]\n      with: {algorithm: cart, max_depth: 1}",
                    "type: train.onnx\n      inputs: [data]\n      with: {layers: [dense 1 relu], epochs: 2}",
                    "type: train.onnx\n      inputs: [data]\n      with: {layers: [dense 4 relu, dropout 0.99, batchnorm], epochs: 2, batch: 1}",
                    "type: train.onnx\n      inputs: [data]\n      with: {layers: [dense 4 tanh], epochs: 2, optimizer: {name: sgd, lr: 1e9}}",
                    "type: train.onnx\n      inputs: [data]\n      with: {layers: [dense 4 relu], epochs: 2, loss: hinge, class_weights: {yes: 1e30}}",
                    "type: train.onnx\n      inputs: [data]\n      with: {layers: [dense 4 relu], epochs: 2, loss: binary-cross-entropy, batch: 100000}",
                    "type: train.onnx\n      inputs: [data]\n      with: {layers: [dense 4 relu], epochs: 2, early_stopping: {monitor: val_loss, patience: 1}, clip_norm: 1e-30}",
                    "type: train.onnx\n      inputs: [data]\n      with: {layers: [dense 4 relu], epochs: 2, privacy: {epsilon: 0.01, delta: 1e-5, clip: 1.0}}",
                    "type: train.onnx\n      inputs: [data]\n      with: {layers: [dense 4 relu], epochs: 2, input_shape: [1, 2, 2]}",
                    "type: train.onnx\n      inputs: [data]\n      with: {layers: [dense 4 relu], epochs: 2, class_weights: {maybe: 2}}")),
            new YamlMutator.Plausible("explainer", "  gates:", List.of(
                    "    - {id: x, type: explain.shap, inputs: [lr], with: {rows: 1, background: 1, samples: 1}}\n  gates:",
                    "    - {id: x, type: explain.shap, inputs: [lr], with: {method: tree, rows: 2}}\n  gates:",
                    "    - {id: x, type: explain.shap, inputs: [lr], with: {rows: 2, background_method: kmeans, background: 3}}\n  gates:",
                    "    - {id: x, type: explain.lime, inputs: [lr], with: {rows: 1, samples: 2, kernel_width: 1e-300}}\n  gates:",
                    "    - {id: x, type: explain.lime, inputs: [lr], with: {rows: 1, samples: 10, classes: [maybe]}}\n  gates:",
                    "    - {id: x, type: explain.importance, inputs: [lr], with: {repeats: 1, score: log-loss, rows: 1}}\n  gates:",
                    "    - {id: x, type: explain.reasons, inputs: [lr], with: {adverse_class: maybe}}\n  gates:",
                    "    - {id: x, type: explain.reasons, inputs: [lr], with: {adverse_class: no, threshold: 0, top: 100, statements: {nope: x}}}\n  gates:",
                    "    - {id: x, type: audit.membership, inputs: [lr], with: {rows: 1}}\n  gates:",
                    "    - {id: x, type: audit.membership, inputs: [lr], with: {rows: 10, non_members: validation}}\n  gates:",
                    "    - {id: x, type: fairness.thresholds, inputs: [lr], with: {attribute: age, favourable: yes}}\n  gates:",
                    "    - {id: x, type: fairness.thresholds, inputs: [lr], with: {attribute: sex, favourable: yes, tolerance: 0}}\n  gates:",
                    "    - {id: x, type: fairness.reweigh, inputs: [data], with: {attribute: sex, favourable: maybe}}\n  gates:",
                    "    - {id: x, type: fairness.reweigh, inputs: [data], with: {attribute: sex, column: age}}\n  gates:")),
            new YamlMutator.Plausible("stage", "  gates:", List.of(
                    "    - {id: fair, type: fairness.reweigh, inputs: [data], with: {attribute: sex, favourable: yes}}\n  gates:",
                    "    - {id: fair, type: fairness.reweigh, inputs: [data], with: {attribute: city, favourable: yes}}\n  gates:",
                    "    - {id: imp, type: explain.importance, inputs: [lr], with: {repeats: 1}}\n  gates:",
                    "    - {id: thr, type: fairness.thresholds, inputs: [lr], with: {attribute: sex, favourable: maybe}}\n  gates:")));

    @Test
    void mutatedPipelinesThroughRunNeverExitOneCrashOrHangAndLeaveNoRunRunning() throws IOException {
        FuzzReport report = new FuzzReport("yaml-run");
        Path base = Files.createDirectories(dir.resolve("run"));
        Files.write(base.resolve("data.csv"), CsvMutator.write(CsvMutator.base(120)));
        Path home = dir.resolve("home");
        Path file = write(base.resolve("pipeline.yaml"), RUN_SEED.getBytes(StandardCharsets.UTF_8));
        FuzzCli.Outcome warm = FuzzCli.run(RUN_BOUND, "run", file.toString(), "--home", home.toString(), "--plain");
        assertThat(warm.code()).as("the seed pipeline runs: %s", warm.all()).isEqualTo(CandorCli.OK);
        int n = FuzzReport.cases("runs", 60);
        for (int i = 0; i < n; i++) {
            SplittableRandom r = report.random("run", i);
            YamlMutator.Mutated m = YamlMutator.plausible(RUN_SEED, r, RUN_SWAPS);
            write(file, m.bytes());
            FuzzCli.Outcome o = FuzzCli.run(RUN_BOUND.multipliedBy(2), "run", file.toString(), "--home", home.toString(), "--plain");
            report.add("run", i, m.ops(), o, Map.of("pipeline.yaml", m.bytes()), checkRun(o, file, m.text(), lineCount(m), home));
        }
        report.finish();
        assertThat(report.exits("run")).as("the fuzzer reaches runs that succeed and runs that fail on their input")
                .containsKeys(CandorCli.OK, CandorCli.SPEC_ERROR);
    }

    /** The checks of one {@code candor run}: the general ones, its place, and the registry after it. */
    static List<String> checkRun(FuzzCli.Outcome o, Path file, String input, int lines, Path home) {
        // 3 is a clean code in general, but these runs meet a healthy database and store: an environment error here
        // would be bad input misreported.
        List<String> problems = new ArrayList<>(FuzzChecks.general(o, Set.of(CandorCli.OK, CandorCli.SPEC_ERROR,
                CandorCli.GATE_FAILED), input, RUN_BOUND));
        if (!problems.isEmpty()) return problems;
        boolean started = o.out().contains("pipeline '");
        if (o.code() == CandorCli.SPEC_ERROR) {
            problems.addAll(started ? FuzzChecks.runPlaces(o, "data.csv") : FuzzChecks.yamlPlaces(o, file, lines));
        } else if (o.code() == CandorCli.GATE_FAILED && !o.out().contains("FAILED its gates")) {
            problems.add("exit 4 without saying the gates failed: " + FuzzChecks.cut(o.out()));
        } else if (o.code() == CandorCli.OK && !o.out().contains(" succeeded in ")) {
            problems.add("exit 0 without saying the run succeeded: " + FuzzChecks.cut(o.out()));
        }
        problems.addAll(FuzzChecks.registry(home));
        return problems;
    }

    static int lineCount(YamlMutator.Mutated m) {
        return (int) m.text().chars().filter(c -> c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028').count() + 1;
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

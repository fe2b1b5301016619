package dev.candor.pipeline.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.pipeline.cli.CandorCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated CSVs through the real {@code candor run} of a small pipeline (issue 9): whatever the data holds, the run
 * succeeds or fails on its input with exit 2, naming the file and a row or column, recorded FAILED with its cause;
 * never exit 1, never a stack trace or an exception class name, never past its time bound, never a run left RUNNING.
 * {@link CsvMutator} says what is done to the data. Case count: {@code -Dcandor.fuzz.csv} ({@code -Pfuzz} sets
 * hundreds); counts by exit code in {@code target/fuzz/}.
 */
class CsvFuzzTest {
    static final int ROWS = 120;

    /** The model stage, one of these: every trainer meets the data as ingestion left it. */
    static final List<String> MODELS = List.of(
            "{id: model, type: train.tribuo, inputs: [data], with: {algorithm: logistic-regression, epochs: 5}}",
            "{id: model, type: train.tribuo, inputs: [data], with: {algorithm: cart, max_depth: 4}}",
            "{id: model, type: train.tribuo, inputs: [data], with: {algorithm: random-forest, trees: 5, max_depth: 4}}",
            "{id: model, type: train.tribuo, inputs: [data], with: {algorithm: xgboost, trees: 5, max_depth: 3}}",
            "{id: model, type: train.onnx, inputs: [data], with: {layers: [dense 8 relu], epochs: 3, batch: 32}}");

    /** A stage after the model now and then: explanations, fairness and privacy audits read the data too. */
    static final List<String> EXTRAS = List.of(
            "{id: more, type: explain.importance, inputs: [model], with: {repeats: 1}}",
            "{id: more, type: explain.shap, inputs: [model], with: {rows: 4, background: 10, samples: 64}}",
            "{id: more, type: explain.reasons, inputs: [model], with: {adverse_class: no, rows: 10}}",
            "{id: more, type: explain.lime, inputs: [model], with: {rows: 2, samples: 200}}",
            "{id: more, type: fairness.thresholds, inputs: [model], with: {attribute: sex, favourable: yes}}",
            "{id: more, type: audit.membership, inputs: [model], with: {rows: 50}}",
            "{id: more, type: fairness.reweigh, inputs: [data], with: {attribute: sex, favourable: yes}}");

    static final List<String> OPTIONS = List.of("", "", "", ", missing: drop", ", missing: impute-mean",
            ", missing: impute-mode", ", encoding: windows-1252", ", quasi_identifiers: [age, city]");

    static String pipeline(String options, String model, String evaluate, String extra) {
        StringBuilder sb = new StringBuilder("""
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: fuzz-csv}
                spec:
                  seed: 9
                  stages:
                    - {id: data, type: ingest.csv, with: {path: data.csv, label: label, id: id, protected: [sex]%s}}
                """.formatted(options));
        if (model != null) {
            sb.append("    - ").append(model).append('\n');
            sb.append("    - {id: eval, type: evaluate, inputs: [model], with: {positive_class: no, bootstrap: 20")
                    .append(evaluate).append("}}\n");
        }
        if (!extra.isEmpty()) sb.append("    - ").append(extra).append('\n');
        return sb.toString();
    }

    /** Ingest alone in one case of four; else a model and its evaluation, with fairness in half, another stage in a third. */
    static String pipeline(SplittableRandom r) {
        String options = YamlMutator.pick(r, OPTIONS);
        if (r.nextInt(4) == 0) return pipeline(options, null, "", "");
        return pipeline(options, YamlMutator.pick(r, MODELS), r.nextBoolean() ? ", fairness: {favourable: no}" : "",
                r.nextInt(3) == 0 ? YamlMutator.pick(r, EXTRAS) : "");
    }

    @TempDir
    Path dir;

    @Test
    void mutatedCsvsExitZeroOrTwoNamingRowOrColumnAndLeaveNoRunRunning() throws IOException {
        FuzzReport report = new FuzzReport("csv-run");
        Path home = dir.resolve("home");
        Path yaml = dir.resolve("pipeline.yaml").toAbsolutePath();
        Path csv = dir.resolve("data.csv");
        Files.write(csv, CsvMutator.write(CsvMutator.base(ROWS)));
        // Every variant is a valid pipeline, so that the cases test the data, not a typo of this test.
        for (String model : MODELS) {
            for (String extra : EXTRAS) {
                Files.writeString(yaml, pipeline("", model, ", fairness: {favourable: no}", extra));
                FuzzCli.Outcome valid = FuzzCli.run(YamlFuzzTest.RUN_BOUND, "validate", yaml.toString());
                assertThat(valid.code()).as(valid.all()).isEqualTo(CandorCli.OK);
            }
        }
        // The base pipeline (ingest, logistic regression, evaluation) runs on the unmutated data.
        Files.writeString(yaml, pipeline("", MODELS.get(0), "", ""));
        FuzzCli.Outcome warm = FuzzCli.run(YamlFuzzTest.RUN_BOUND, "run", yaml.toString(), "--home", home.toString(), "--plain");
        assertThat(warm.code()).as("the base CSV runs: %s", warm.all()).isEqualTo(CandorCli.OK);
        int n = FuzzReport.cases("csv", 40);
        for (int i = 0; i < n; i++) {
            SplittableRandom r = report.random("csv", i);
            // Two cases in five mutate gently, so that the data reaches training, evaluation and the other stages.
            CsvMutator.Mutated m = CsvMutator.mutate(ROWS, r, r.nextInt(5) < 2);
            String pipeline = pipeline(r);
            Files.writeString(yaml, pipeline);
            Files.write(csv, m.bytes());
            FuzzCli.Outcome o = FuzzCli.run(YamlFuzzTest.RUN_BOUND.multipliedBy(2), "run", yaml.toString(), "--home",
                    home.toString(), "--plain");
            // The output may quote the data (a cell saying "Exception" is the data's own word).
            String input = new String(m.bytes(), StandardCharsets.UTF_8) + pipeline;
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("data.csv", m.bytes());
            files.put("pipeline.yaml", pipeline.getBytes(StandardCharsets.UTF_8));
            report.add("csv", i, m.ops(), o, files, YamlFuzzTest.checkRun(o, yaml, input, pipeline.split("\n").length, home));
        }
        report.finish();
        assertThat(report.exits("csv")).as("the fuzzer reaches data that runs and data that fails")
                .containsKeys(CandorCli.OK, CandorCli.SPEC_ERROR);
    }
}

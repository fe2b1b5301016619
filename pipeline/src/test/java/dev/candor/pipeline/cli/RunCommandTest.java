package dev.candor.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** candor run / runs / show through the command line, with the real stages and an H2 registry in a temp home. */
class RunCommandTest {
    static final Path DATA = Path.of("..", "examples", "breast-cancer", "data", "breast_cancer_wisconsin.csv");

    @TempDir
    Path dir;

    record Result(int code, String out, String err) { }

    Result candor(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        StringWriter picoOut = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = CandorCli.execute(new PrintWriter(picoOut), new PrintWriter(err), args);
            return new Result(code, out.toString(StandardCharsets.UTF_8) + picoOut, err.toString());
        } finally {
            System.setOut(oldOut);
        }
    }

    Path pipeline(String csv) throws Exception {
        Files.copy(DATA, dir.resolve("data.csv"));
        if (csv != null) Files.writeString(dir.resolve("data.csv"), csv);
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: cli-test}
                spec:
                  seed: 3
                  stages:
                    - {id: data, type: ingest.csv, with: {path: data.csv, label: diagnosis}}
                    - {id: lr, type: train.tribuo, inputs: [data], with: {algorithm: logistic-regression}}
                    - {id: eval, type: evaluate, inputs: [lr], with: {positive_class: malignant, bootstrap: 100}}
                """);
        return file;
    }

    @Test
    void runThenListAndShowAsJson() throws Exception {
        Path file = pipeline(null);
        String home = dir.resolve("home").toString();
        Result run = candor("run", file.toString(), "--home", home, "--plain");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("eval", "ran", "first run of this stage", "roc_auc", "confusion matrix", "succeeded");

        Result again = candor("run", file.toString(), "--home", home, "--plain");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("cached").doesNotContain(" ran ");

        ObjectMapper json = new ObjectMapper();
        Result runs = candor("runs", "--home", home, "--json");
        JsonNode list = json.readTree(runs.out());
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("cachedStages").asInt()).isEqualTo(3);
        assertThat(list.get(0).get("keyStage").asText()).isEqualTo("eval");
        assertThat(list.get(0).get("keyMetrics").get("roc_auc").asDouble()).isGreaterThan(0.9);

        String firstId = list.get(1).get("id").asText();
        Result show = candor("show", firstId.substring(0, 8), "--home", home, "--json");
        JsonNode detail = json.readTree(show.out());
        assertThat(detail.get("summary").get("id").asText()).isEqualTo(firstId);
        assertThat(detail.get("seed").asLong()).isEqualTo(3);
        assertThat(detail.get("stages")).hasSize(3);
        assertThat(detail.get("stages").get(0).get("cacheHit").asBoolean()).isFalse();
        assertThat(detail.get("stages").get(0).get("cacheReason").asText()).isEqualTo("first run of this stage");
        assertThat(detail.get("stages").get(2).get("output").get("kind").asText()).isEqualTo("EVALUATION");
        assertThat(detail.get("metrics").toString()).contains("\"name\":\"roc_auc\"", "\"split\":\"test\"");

        Result text = candor("show", firstId, "--home", home);
        assertThat(text.out()).contains("run " + firstId, "STAGE", "seed 3", "metrics of eval (test)");

        Result missing = candor("show", "ffffffff", "--home", home);
        assertThat(missing.code()).isEqualTo(CandorCli.SPEC_ERROR);
    }

    @Test
    void aBadCsvFailsTheRunWithExitCodeOneAndNamesRowAndColumn() throws Exception {
        String header = Files.readAllLines(DATA).get(0);
        StringBuilder csv = new StringBuilder(header).append('\n');
        java.util.List<String> rows = Files.readAllLines(DATA).subList(1, 61);
        for (String r : rows) csv.append(r).append('\n');
        String broken = csv.toString().replaceFirst("\n17\\.99,", "\nlarge,");
        Result r = candor("run", pipeline(broken).toString(), "--home", dir.resolve("home").toString(), "--plain");
        assertThat(r.code()).isEqualTo(CandorCli.STAGE_FAILED);
        assertThat(r.out()).contains("FAILED", "data.csv: row 2, column 'mean_radius': found 'large'", "skipped")
                .doesNotContain("\tat ");
    }

    @Test
    void aMistakeInTheYamlIsExitCodeTwoBeforeAnythingRuns() throws Exception {
        Path file = pipeline(null);
        Files.writeString(file, Files.readString(file).replace("label: diagnosis", "lable: diagnosis"));
        Result r = candor("run", file.toString(), "--home", dir.resolve("home").toString());
        assertThat(r.code()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(r.err()).contains(":7:").contains("'lable'").contains("label");
        assertThat(Files.exists(dir.resolve("home"))).as("nothing was created").isFalse();
    }
}

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
import java.util.Locale;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad data through the real {@code candor run} (issue 9): each run fails its stage (exit 1, as a stage failed) with
 * the row, column and fix in one line per problem, never a stack trace or a raw exception; the run is recorded
 * FAILED with that message. The fix the message names works.
 */
class HostileDataRunTest {

    @TempDir
    Path dir;

    record Result(int code, String out) { }

    Result candor(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = CandorCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
            return new Result(code, out.toString(StandardCharsets.UTF_8) + err);
        } finally {
            System.setOut(oldOut);
        }
    }

    /** 60 rows: numeric a and b, label y; data row i is line i + 2. */
    static String csv(IntFunction<String> row) {
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 60; i++) sb.append(row.apply(i)).append('\n');
        return sb.toString();
    }

    static String row(int i) {
        return String.format(Locale.ROOT, "%.1f,%d,%s", (i * 37 % 100) / 10.0, i % 7, i % 2 == 0 ? "n" : "p");
    }

    Result run(byte[] data, String with) throws Exception {
        Files.write(dir.resolve("data.csv"), data);
        Path yaml = dir.resolve("pipeline.yaml");
        Files.writeString(yaml, """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: hostile}
                spec:
                  seed: 3
                  stages:
                    - {id: data, type: ingest.csv, with: {path: data.csv, label: y%s}}
                    - {id: lr, type: train.tribuo, inputs: [data], with: {algorithm: logistic-regression}}
                """.formatted(with));
        return candor("run", yaml.toString(), "--home", dir.resolve("home").toString(), "--plain");
    }

    private static void assertCleanFailure(Result r, String... says) {
        assertThat(r.code()).as(r.out()).isEqualTo(CandorCli.STAGE_FAILED);
        assertThat(r.out()).contains("FAILED").contains(says)
                .doesNotContain("\tat ", "Exception", "Infinite or NaN", "Input length = 1");
    }

    private JsonNode lastRun() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String id = json.readTree(candor("runs", "--home", dir.resolve("home").toString(), "--json").out()).get(0)
                .get("id").asText();
        return json.readTree(candor("show", id, "--home", dir.resolve("home").toString(), "--json").out());
    }

    @Test
    void overflowingNumbersNameTheirRowAndColumnAndTheRunIsRecordedFailedWithThatMessage() throws Exception {
        String text = csv(i -> i + 2 == 5 ? "1e400" + row(i).substring(row(i).indexOf(','))
                : i + 2 == 9 ? "-1e400" + row(i).substring(row(i).indexOf(',')) : row(i));

        Result r = run(text.getBytes(StandardCharsets.UTF_8), "");

        assertCleanFailure(r, "data.csv: row 5, column 'a': found '1e400' — expected a number within ±3.4e38",
                "data.csv: row 9, column 'a': found '-1e400'");
        JsonNode run = lastRun();
        assertThat(run.get("summary").get("status").asText()).isEqualTo("FAILED");
        assertThat(run.toString()).contains("row 5, column 'a'");
    }

    @Test
    void anUnterminatedQuoteNamesTheRowItStartsOn() throws Exception {
        String text = csv(i -> i + 2 == 7 ? "\"3.0,1,n" : row(i));

        assertCleanFailure(run(text.getBytes(StandardCharsets.UTF_8), ""),
                "data.csv: row 7: a quoted value starts on this row and its closing quote never comes");
    }

    @Test
    void aLatin1FileNamesTheRowAndEncodingWindows1252ReadsIt() throws Exception {
        byte[] latin1 = csv(i -> i + 2 == 9 ? row(i).replace(",n", ",né").replace(",p", ",pé") : row(i))
                .getBytes(StandardCharsets.ISO_8859_1);

        Result r = run(latin1, "");
        assertCleanFailure(r, "data.csv: row 9: the file is not UTF-8: byte 0xE9", "`encoding: windows-1252`");
        assertThat(r.out()).doesNotContain("header row");

        // One more class ('pé' or 'né', one row) is too small to stratify: the file is now read, and that is said.
        Result fixed = run(latin1, ", encoding: windows-1252");
        assertThat(fixed.out()).doesNotContain("not UTF-8").contains("has 1 row, too few to stratify");
    }

    @Test
    void aMisspelledEncodingIsAMistakeInTheYaml() throws Exception {
        Result r = run(csv(HostileDataRunTest::row).getBytes(StandardCharsets.UTF_8), ", encoding: latin1");
        assertThat(r.code()).as(r.out()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(r.out()).contains("'latin1'", "utf-8", "iso-8859-1", "windows-1252");
    }

    @Test
    void everyInputConstantIsWarnedAtIngestionAndRefusedByTraining() throws Exception {
        Result r = run(csv(i -> "1.0,2," + (i % 2 == 0 ? "n" : "p")).getBytes(StandardCharsets.UTF_8), "");

        assertCleanFailure(r, "every model input has a single value in all", "a = 1.0", "b = 2.0");
        assertThat(r.out()).contains("WARNING data  data.constant_feature [a]", "data.constant_feature [b]");
    }
}

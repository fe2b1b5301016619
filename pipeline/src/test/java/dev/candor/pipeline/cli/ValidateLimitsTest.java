package dev.candor.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files too large to store or to parse in bounded time, through the real {@code candor validate} and {@code candor
 * run}: exit 2, one line with file:line:col, the limit and the fix, no stack trace, quickly, and nothing recorded.
 * (Small limit mistakes are in the broken-pipeline corpus.)
 */
class ValidateLimitsTest {
    /** Generous for a shared 2-core machine: these used to take over 400 s (20 MB) or pass and fail at run time. */
    private static final long BOUND_MS = 5_000;
    private static final String MINIMAL = """
            apiVersion: candor/v1
            kind: Pipeline
            metadata: {name: limits}
            spec:
              stages:
                - id: data
                  type: ingest.csv
                  with: {path: data.csv, label: diagnosis}
            """;

    @TempDir
    Path dir;

    record Result(int code, String err, long millis) { }

    private Result candor(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = CandorCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, err.toString(), (System.nanoTime() - t0) / 1_000_000);
    }

    private void assertOneCleanError(Result r, Path file, String place, String... texts) {
        assertThat(r.code()).as(r.err()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(2).last().isEqualTo("1 error");
        assertThat(r.err()).startsWith(file.toAbsolutePath() + ":" + place + ": ").contains(texts).contains(" — ")
                .doesNotContain("Exception").doesNotContain("\tat ").hasSizeLessThan(1_000);
        assertThat(r.millis()).as("milliseconds").isLessThan(BOUND_MS);
    }

    @Test
    void theIssues20MegabyteYamlWithOneLongScalarIsRefusedBeforeItIsRead() throws IOException {
        Path file = dir.resolve("huge.yaml");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(MINIMAL.replace("{name: limits}", "{name: limits, description: "));
            for (int i = 0; i < 20_000; i++) w.write("x".repeat(1_000));
            w.write("}\n");
        }
        assertThat(Files.size(file)).isGreaterThan(20_000_000);

        assertOneCleanError(candor("validate", file.toString()), file, "1:1", "the file is 20,000,",
                "a pipeline file may be at most 1,000,000 bytes", "move long text out of the YAML");
        Path home = dir.resolve("home");
        assertOneCleanError(candor("run", file.toString(), "--home", home.toString()), file, "1:1", "at most 1,000,000 bytes");
        assertThat(home).as("nothing was recorded").doesNotExist();
    }

    @Test
    void aYamlOverTheRegistrysMillionCharactersIsRefusedInValidateNotAtRunTime() throws IOException {
        Path file = Files.writeString(dir.resolve("big.yaml"), MINIMAL + ("# " + "c".repeat(998) + "\n").repeat(1_100));
        assertOneCleanError(candor("validate", file.toString()), file, "1:1", "the file is 1,101,263 bytes",
                "at most 1,000,000 bytes (the registry keeps the whole file with every run)");
        Path home = dir.resolve("home");
        assertOneCleanError(candor("run", file.toString(), "--home", home.toString()), file, "1:1", "at most 1,000,000 bytes");
        assertThat(home).doesNotExist();
    }

    @Test
    void aLineTooLongToScanQuicklyIsRefusedAtItsPlace() throws IOException {
        // Within the size limit, but one plain scalar of 990,000 characters took SnakeYAML seconds to scan.
        Path file = Files.writeString(dir.resolve("line.yaml"), MINIMAL.replace("{name: limits}",
                "\n  name: limits\n  description: " + "y".repeat(990_000)));
        assertOneCleanError(candor("validate", file.toString()), file, "5:100001", "line 5 is 990,015 characters long",
                "a line may be at most 100,000", "break the text over several lines");
    }

    @Test
    void theIssuesRunTimeFailuresAreValidateErrorsNow() throws IOException {
        // Each of these passed validate and failed the run with a raw SQL "value too long".
        Files.copy(RunCommandTest.DATA, dir.resolve("data.csv"));
        Path name = Files.writeString(dir.resolve("name.yaml"), MINIMAL.replace("{name: limits}", "{name: " + "n".repeat(250) + "}"));
        Path gate = Files.writeString(dir.resolve("gate.yaml"), MINIMAL + "  gates:\n    - \""
                + String.join(" or ", java.util.Collections.nCopies(300, "data.rows >= 1")) + "\"\n");
        for (Path file : List.of(name, gate)) {
            Result r = candor("run", file.toString(), "--home", dir.resolve("home").toString());
            assertOneCleanError(r, file, file == name ? "3:18" : "10:8", "characters long; at most "
                    + (file == name ? "200" : "4000") + " are allowed");
            assertThat(r.err()).doesNotContain("Value too long").doesNotContain("SQL");
        }
        assertThat(dir.resolve("home")).doesNotExist();
    }
}

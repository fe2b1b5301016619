package dev.candor.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 10 MB number in a CSV cell through the real {@code ./candor} launcher (issue 9: it used to end in a raw
 * {@code NumberFormatException: Infinite or NaN}, and the cell was embedded three times in an error message that
 * overflowed its registry column): the stage fails with the row, the column and the value cut to 100 characters,
 * exit code 1, and {@code candor show} reads the run back FAILED with the same short message.
 */
class HostileDataIT {

    @TempDir
    Path dir;

    record Ran(int code, String out) { }

    private static Ran candor(Path log, String... args) throws Exception {
        String install = System.getProperty("candor.install");
        if (install == null) throw new IllegalStateException("system property candor.install is not set; run through Maven (failsafe)");
        List<String> command = new ArrayList<>(List.of(Path.of(install).resolve("candor").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("candor did not finish in 5 minutes");
        }
        return new Ran(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void aTenMegabyteNumberFailsTheStageWithABoundedMessageAndTheRunIsRecorded() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 60; i++) {
            csv.append(i == 3 ? "9".repeat(10_000_000) : Integer.toString(i % 10)).append(',').append(i % 7).append(',')
                    .append(i % 2 == 0 ? "n" : "p").append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv);
        Path yaml = Files.writeString(dir.resolve("pipeline.yaml"), """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: huge-cell}
                spec:
                  seed: 3
                  stages:
                    - {id: data, type: ingest.csv, with: {path: data.csv, label: y}}
                    - {id: lr, type: train.tribuo, inputs: [data], with: {algorithm: logistic-regression}}
                """);
        String home = dir.resolve("home").toString();

        Ran run = candor(dir.resolve("run.log"), "run", yaml.toString(), "--home", home, "--plain");

        assertThat(run.code()).as(run.out()).isEqualTo(CandorCli.STAGE_FAILED);
        assertThat(run.out()).contains("data.csv: row 5, column 'a': found '" + "9".repeat(100) + "…(9999900 more characters)'",
                        "expected a number within ±3.4e38")
                .doesNotContain("\tat ", "Exception", "Infinite or NaN");
        assertThat(run.out().length()).as("the output, 10 MB cell and all").isLessThan(5_000);

        Ran show = candor(dir.resolve("show.log"), "show", "--home", home, "--json",
                run.out().replaceAll("(?s).*candor show ([0-9a-f]{8}).*", "$1"));
        assertThat(show.code()).as(show.out()).isZero();
        assertThat(show.out()).contains("\"FAILED\"", "row 5, column 'a'", "9999900 more characters");
        assertThat(show.out().length()).isLessThan(20_000);
    }
}

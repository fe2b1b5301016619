package dev.candor.pipeline.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.pipeline.cli.CandorCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the fuzzer found, each as the exact input it made (under {@code src/test/resources/fuzz-findings/}, as
 * {@code target/fuzz-failures/} saved it; the runs read the CSV {@link CsvMutator#base} writes), through the real CLI
 * with the fuzzer's own checks. Before the fixes: exit 1 on a NaN metric (a batch norm fed a last batch of one row,
 * a diverging optimizer), exit 1 on a privileged group the data does not have, and a Unicode line separator printed
 * raw inside a {@code file:line:col} line and a pipeline's name.
 */
class FuzzFindingsTest {
    @TempDir
    Path dir;

    private Path finding(String name) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.copy(Path.of("src", "test", "resources", "fuzz-findings", name + ".yaml"), file);
        if (Files.exists(dir.resolve("data.csv"))) return file.toAbsolutePath();
        Files.write(dir.resolve("data.csv"), CsvMutator.write(CsvMutator.base(120)));
        Files.createDirectories(dir.resolve("data"));
        try (Stream<Path> data = Files.list(Path.of("src", "test", "resources", "valid", "data"))) {
            for (Path f : data.toList()) Files.copy(f, dir.resolve("data").resolve(f.getFileName()));
        }
        return file.toAbsolutePath();
    }

    /** A CSV finding: its pipeline, and the data file it ran on (kept gzipped: it is mostly one repeated byte). */
    private Path csvFinding(String name) throws IOException {
        Path file = finding(name);
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
                Files.newInputStream(Path.of("src", "test", "resources", "fuzz-findings", name + ".csv.gz")))) {
            Files.copy(in, dir.resolve("data.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private FuzzCli.Outcome run(Path file) {
        return FuzzCli.run(YamlFuzzTest.RUN_BOUND, "run", file.toString(), "--home", dir.resolve("home").toString(),
                "--plain");
    }

    private static int lines(Path file) throws IOException {
        return (int) Files.readString(file).lines().count();
    }

    private static void assertClean(List<String> problems, FuzzCli.Outcome o) {
        assertThat(problems).as(o.all()).isEmpty();
    }

    @Test
    void aBatchNormWhoseLastBatchHoldsOneRowTrainsInsteadOfFailingOnANanMetric() throws IOException {
        Path file = finding("batchnorm-last-batch-of-one-row");
        assertThat(Files.readString(file)).contains("layers: [dense 4 relu, dropout 0.99, batchnorm], epochs: 2, batch: 1");

        FuzzCli.Outcome o = run(file);

        assertClean(YamlFuzzTest.checkRun(o, file, Files.readString(file), lines(file), dir.resolve("home")), o);
        assertThat(o.code()).as(o.all()).isIn(CandorCli.OK, CandorCli.GATE_FAILED);
        assertThat(o.all()).doesNotContain("NaN").containsPattern("lr +train\\.onnx +ran");
    }

    @Test
    void aDivergingOptimizerIsBadInputNamingTheOptimizer() throws IOException {
        Path file = finding("batchnorm-last-batch-of-one-row");
        Files.writeString(file, Files.readString(file).replace(
                "{layers: [dense 4 relu, dropout 0.99, batchnorm], epochs: 2, batch: 1}",
                "{layers: [dense 16 relu], epochs: 3, optimizer: {name: sgd, lr: 1e9}}"));

        FuzzCli.Outcome o = run(file);

        assertClean(YamlFuzzTest.checkRun(o, file, Files.readString(file), lines(file), dir.resolve("home")), o);
        assertThat(o.code()).as(o.all()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(FuzzChecks.runFailure(o)).matches("stage 'lr' failed: key 'optimizer': training diverged at epoch"
                + " [123] of 3: the train loss is NaN, so the weights overflowed — lower the learning rate \\(optimizer.lr,"
                + " now 1.0E9\\), add clip_norm, or lower class_weights");
    }

    /** Before: ingestion ran for hours (the number pattern backtracked n² times), the fuzzer's run timed out RUNNING. */
    @Test
    void aNumberOfMillionsOfDigitsWithAByteOrderMarkInItIsNamedAtOnce() throws IOException {
        Path file = csvFinding("number-of-1.5-million-digits-with-a-bom");
        String input = Files.readString(dir.resolve("data.csv")) + Files.readString(file);

        FuzzCli.Outcome o = run(file);

        assertClean(YamlFuzzTest.checkRun(o, file, input, lines(file), dir.resolve("home")), o);
        assertThat(o.code()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(o.millis()).as("milliseconds").isLessThan(30_000);
        assertThat(FuzzChecks.runFailure(o)).startsWith("stage 'data' failed: data.csv: row 104, column 'income': found '777")
                .contains("(1499901 more characters)").hasSizeLessThan(2_000);
    }

    /**
     * Before: ingestion wrote its statistics keyed by the category, a 750,000-character one, and could not read them
     * back (exit 1). In a protected column (the fuzzer's input) it is now refused as a group name too long to record;
     * as a feature's category it is ingested, and the run goes on.
     */
    @Test
    void aCategoryOfThreeQuarterOfAMillionCharactersIsRefusedAsAGroupAndIngestedAsAFeature() throws IOException {
        Path file = csvFinding("category-of-750000-quotes");
        String input = Files.readString(dir.resolve("data.csv")) + Files.readString(file);

        FuzzCli.Outcome o = run(file);

        assertClean(YamlFuzzTest.checkRun(o, file, input, lines(file), dir.resolve("home")), o);
        assertThat(o.code()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(FuzzChecks.runFailure(o)).startsWith("stage 'data' failed: data.csv: row 46, column 'sex': found '\"\"\"")
                .contains("a group of at most 64 characters");

        Files.writeString(file, Files.readString(file).replace(", protected: [sex]", ""));
        FuzzCli.Outcome feature = run(file);
        assertClean(YamlFuzzTest.checkRun(feature, file, input, lines(file), dir.resolve("home")), feature);
        assertThat(feature.all()).containsPattern("data +ingest\\.csv +ran").doesNotContain("cannot read");
        assertThat(feature.code()).as(feature.all()).isIn(CandorCli.OK, CandorCli.SPEC_ERROR);
    }

    /** Before: an emoji in a category reached the model's metadata, which ONNX Runtime's Java API mangles (exit 1). */
    @Test
    void aCategoryHoldingAnEmojiIsScored() throws IOException {
        Path file = csvFinding("emoji-category");
        String input = Files.readString(dir.resolve("data.csv")) + Files.readString(file);
        assertThat(input).contains(",\uD83D\uDE00,");

        FuzzCli.Outcome o = run(file);

        assertClean(YamlFuzzTest.checkRun(o, file, input, lines(file), dir.resolve("home")), o);
        assertThat(o.code()).as(o.all()).isEqualTo(CandorCli.OK);
        assertThat(o.all()).containsPattern("eval +evaluate +ran").doesNotContain("not valid JSON");
    }

    /** Before: a NUL as a column's name reached a stage's summary on the terminal raw. */
    @Test
    void aControlCharacterInAColumnsNameIsRefusedAtItsColumn() throws IOException {
        Path file = csvFinding("nul-in-a-column-name");
        String input = Files.readString(dir.resolve("data.csv")) + Files.readString(file);
        assertThat(input).startsWith("id,age,income,city,sex,\u0000,label\n");

        FuzzCli.Outcome o = run(file);

        assertClean(YamlFuzzTest.checkRun(o, file, input, lines(file), dir.resolve("home")), o);
        assertThat(o.code()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(FuzzChecks.runFailure(o)).isEqualTo("stage 'data' failed: data.csv: row 1, column '\\u0000': the name"
                + " holds a control character (shown escaped) — rename the column in the header");
    }

    /**
     * Before: a class or a protected group longer than the registry's 400-character metric slices failed
     * {@code evaluate} on the registry write (exit 1). Ingestion now refuses them at their row and column, and the
     * longest it accepts are recorded.
     */
    @Test
    void aClassOrGroupTooLongToRecordIsRefusedAtIngestionAndTheLongestAcceptedAreRecorded() throws IOException {
        Path file = finding("privileged-group-not-in-data");
        List<List<String>> table = CsvMutator.base(120);
        for (List<String> row : table.subList(1, table.size())) {
            row.set(CsvMutator.LABEL, row.get(CsvMutator.LABEL) + "x".repeat(450));
            row.set(CsvMutator.SEX, row.get(CsvMutator.SEX).repeat(100));
        }
        Files.write(dir.resolve("data.csv"), CsvMutator.write(table));
        String yaml = Files.readString(file).replace("positive_class: yes", "positive_class: yes" + "x".repeat(450))
                .replace("fairness: {privileged: {sex: other}}", "fairness: {favourable: no" + "x".repeat(450) + "}");
        Files.writeString(file, yaml);

        FuzzCli.Outcome o = run(file);

        assertClean(YamlFuzzTest.checkRun(o, file, yaml + Files.readString(dir.resolve("data.csv")), lines(file),
                dir.resolve("home")), o);
        assertThat(o.code()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(FuzzChecks.runFailure(o)).startsWith("stage 'data' failed: data.csv")
                .contains("data.csv: row 2, column 'label': found 'yesxxx")
                .contains("a class of at most 150 characters (the results name each class), not 453")
                .contains("data.csv: row 2, column 'sex': found 'femalefemale")
                .contains("a group of at most 64 characters");

        // At the limits: a class of 150 characters, a group of 64, in every slice evaluate records.
        table = CsvMutator.base(120);
        for (List<String> row : table.subList(1, table.size())) {
            row.set(CsvMutator.LABEL, row.get(CsvMutator.LABEL) + "x".repeat(150 - row.get(CsvMutator.LABEL).length()));
            row.set(CsvMutator.SEX, row.get(CsvMutator.SEX) + "y".repeat(64 - row.get(CsvMutator.SEX).length()));
        }
        Files.write(dir.resolve("data.csv"), CsvMutator.write(table));
        String limits = Files.readString(file).replace("yes" + "x".repeat(450), "yes" + "x".repeat(147))
                .replace("no" + "x".repeat(450), "no" + "x".repeat(148));
        Files.writeString(file, limits);
        FuzzCli.Outcome ok = run(file);
        assertClean(YamlFuzzTest.checkRun(ok, file, limits + Files.readString(dir.resolve("data.csv")), lines(file),
                dir.resolve("home")), ok);
        assertThat(ok.code()).as(ok.all()).isIn(CandorCli.OK, CandorCli.GATE_FAILED);
    }

    @Test
    void aLimeKernelSoNarrowItsSquareIsZeroIsRefusedInValidate() throws IOException {
        Path file = finding("lime-kernel-width-1e-300");
        FuzzCli.Outcome o = run(file);
        assertClean(YamlFuzzTest.checkRun(o, file, Files.readString(file), lines(file), dir.resolve("home")), o);
        assertThat(o.err()).startsWith(file + ":18:").contains("key 'kernel_width': must be 0 (automatic) or at least 1.0E-6");
    }

    @Test
    void aDatasetWithEveryInputIgnoredIsBadDataNotAFaultOfTraining() throws IOException {
        Path file = finding("every-input-column-ignored");
        FuzzCli.Outcome o = run(file);
        assertClean(YamlFuzzTest.checkRun(o, file, Files.readString(file), lines(file), dir.resolve("home")), o);
        assertThat(o.code()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(FuzzChecks.runFailure(o)).startsWith("stage 'lr' failed: ").contains("the dataset has no model input:"
                + " each of its columns (").contains("leave at least one column out of `ignore:`");
    }

    @Test
    void aPrivilegedGroupTheDataDoesNotHaveIsBadInputNamingTheGroups() throws IOException {
        Path file = finding("privileged-group-not-in-data");
        assertThat(Files.readString(file)).contains("fairness: {privileged: {sex: other}}");

        FuzzCli.Outcome o = run(file);

        assertClean(YamlFuzzTest.checkRun(o, file, Files.readString(file), lines(file), dir.resolve("home")), o);
        assertThat(o.code()).as(o.all()).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(FuzzChecks.runFailure(o)).isEqualTo("stage 'eval' failed: key 'fairness': the privileged group"
                + " 'other' declared for 'sex' is not one of its groups in the test split of dataset 'data': female,"
                + " male — name one of them under fairness.privileged");
    }

    @Test
    void aLineSeparatorInANameIsRefusedAndInAQuotedValueShownEscaped() throws IOException {
        Path name = finding("name-with-line-separator");
        FuzzCli.Outcome o = FuzzCli.run(YamlFuzzTest.VALIDATE_BOUND, "validate", name.toString());
        assertClean(FuzzChecks.general(o, Set.of(CandorCli.SPEC_ERROR), Files.readString(name), YamlFuzzTest.VALIDATE_BOUND), o);
        assertThat(o.err()).startsWith(name + ":4:").contains(": metadata.name holds a control character");

        Path type = finding("unknown-type-with-line-separator");
        FuzzCli.Outcome t = FuzzCli.run(YamlFuzzTest.VALIDATE_BOUND, "validate", type.toString());
        String text = Files.readString(type);
        assertClean(FuzzChecks.general(t, Set.of(CandorCli.SPEC_ERROR), text, YamlFuzzTest.VALIDATE_BOUND), t);
        assertClean(FuzzChecks.yamlPlaces(t, type, (int) text.lines().count()), t);
        assertThat(t.err()).contains("has unknown type '").contains("\\u2028").doesNotContain("\u2028");
    }

    /** The fuzzer's NUL bytes and control characters were all reported at 1:1, wherever they were. */
    @Test
    void aControlCharacterIsReportedWhereItIs() throws IOException {
        Path file = finding("name-with-line-separator");
        String text = Files.readString(file).replace("label: diagnosis", "label: diag\u0000nosis")
                .replace("kind: Pipeline", "kind: Pipeline\r\n\u00e9t\u00e9: 1\r\n");
        Files.writeString(file, text.replace("minimal\u2028", "minimal"));
        FuzzCli.Outcome o = FuzzCli.run(YamlFuzzTest.VALIDATE_BOUND, "validate", file.toString());
        assertClean(FuzzChecks.general(o, Set.of(CandorCli.SPEC_ERROR), text, YamlFuzzTest.VALIDATE_BOUND), o);
        assertThat(o.err()).startsWith(file + ":11:65: the character U+0000 (a control character) is not allowed in YAML");
    }

    @Test
    void specErrorsStayOneBoundedLineWhateverTheyQuote() {
        dev.candor.pipeline.spec.SpecError e = new dev.candor.pipeline.spec.SpecError(Path.of("p.yaml"), 1, 2,
                "unknown type 'a\u2028b\u001b[31m" + "x".repeat(10_000) + "'", "fix\nit");
        assertThat(e.toString()).doesNotContain("\u2028", "\u001b", "\n").contains("a\\u2028b\\u001b[31m")
                .contains("more characters").endsWith(" — fix\\nit");
        assertThat(e.message().length()).isLessThan(dev.candor.pipeline.spec.SpecError.MAX_CHARS + 50);
    }
}

package dev.candor.stages.ingest;

import static dev.candor.stages.ingest.HostileCsv.config;
import static dev.candor.stages.ingest.HostileCsv.csv;
import static dev.candor.stages.ingest.HostileCsv.failure;
import static dev.candor.stages.ingest.HostileCsv.row;
import static dev.candor.stages.ingest.HostileCsv.success;
import static dev.candor.stages.ingest.HostileCsv.withField;
import static dev.candor.stages.ingest.HostileCsv.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.MissingPolicy;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.FindingSink;
import dev.candor.stages.spi.LocalStageContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values that used to crash ingestion or train silently (issue 9): numbers a model cannot take, NaN and its kin,
 * a 10 MB cell, NUL bytes, columns empty throughout, constant columns. Each is reported with its row and column,
 * through the real stage on the DirectRunner.
 */
class CsvIngestHostileValuesTest {

    @TempDir
    Path tmp;

    private static String stripped(String csv, int column) {
        StringBuilder sb = new StringBuilder();
        for (String line : csv.split("\n", -1)) {
            if (line.isEmpty()) continue;
            String[] f = line.split(",", -1);
            if (!line.startsWith("a,")) f[column] = "";
            sb.append(String.join(",", f)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void numbersBeyondWhatAModelReadsAreErrorsWithRowColumnAndValue() {
        String text = csv(i -> switch (i + 2) {
            case 5 -> "1e400" + row(i).substring(row(i).indexOf(','));
            case 9 -> "-1e400" + row(i).substring(row(i).indexOf(','));
            case 12 -> "1,3.5e38" + row(i).substring(row(i).indexOf(',', row(i).indexOf(',') + 1));
            default -> row(i);
        });
        Path csv = write(tmp, "overflow.csv", text);

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.problems()).extracting(DataException.Problem::row, DataException.Problem::column, DataException.Problem::value)
                .containsExactly(tuple(5L, "a", "1e400"), tuple(9L, "a", "-1e400"), tuple(12L, "b", "3.5e38"));
        assertThat(e.getMessage()).contains("overflow.csv: row 5, column 'a': found '1e400' — expected a number within ±3.4e38",
                "the largest 32-bit float");
    }

    @Test
    void aTenMegabyteNumberIsShownCutAndTheMessageStaysShort() {
        Path csv = write(tmp, "huge.csv", withField(6, 0, "1".repeat(10_000_000)));

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.row()).isEqualTo(6);
            assertThat(p.column()).isEqualTo("a");
            assertThat(p.value()).isEqualTo("1".repeat(100) + "…(9999900 more characters)");
        });
        assertThat(e.getMessage()).hasSizeLessThan(1_000);
    }

    @Test
    void nanInfinityAndNaAreErrorsThatSayAMissingValueIsAnEmptyFieldAndKeepTheColumnNumeric() {
        // 4 markers in 60 values: the column stays numeric (56 of 56 numbers), so each marker is named with its row.
        String text = csv(i -> switch (i + 2) {
            case 4 -> "NaN" + row(i).substring(row(i).indexOf(','));
            case 7 -> "Infinity" + row(i).substring(row(i).indexOf(','));
            case 8 -> " -inf" + row(i).substring(row(i).indexOf(','));
            case 10 -> "NA" + row(i).substring(row(i).indexOf(','));
            default -> row(i);
        });
        Path csv = write(tmp, "markers.csv", text);

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.totalProblems()).isEqualTo(4);
        assertThat(e.problems()).extracting(DataException.Problem::row).containsExactly(4L, 7L, 8L, 10L);
        assertThat(e.problems()).allMatch(p -> p.column().equals("a"));
        assertThat(e.problems().get(0).expectation()).contains("never reads 'NaN' as a missing value, only an empty field",
                "`missing:` decides");
        assertThat(e.problems().get(1).expectation()).contains("an infinite value cannot be standardized");
        assertThat(e.problems().get(2).value()).isEqualTo(" -inf");
        assertThat(e.problems().get(3).expectation()).contains("never reads 'NA' as a missing value");
    }

    @Test
    void aNulByteIsReportedEscaped() {
        Path csv = write(tmp, "nul.csv", withField(6, 2, "x\u0000y"));

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.row()).isEqualTo(6);
            assertThat(p.column()).isEqualTo("c");
            assertThat(p.value()).isEqualTo("x\\u0000y");
        });
        assertThat(e.getMessage()).doesNotContain("\u0000").contains("NUL");
    }

    @ParameterizedTest(name = "missing: {0}")
    @EnumSource(value = MissingPolicy.class, names = {"ERROR", "DROP", "IMPUTE_MEAN"})
    void aFeatureEmptyInEveryRowIsOneErrorNamingTheColumnAndTheFixWhateverTheMissingPolicy(MissingPolicy policy)
            throws Exception {
        Path csv = write(tmp, "empty-b.csv", stripped(csv(HostileCsv::row), 1));
        DataException e = failure(csv, c -> new CsvIngestConfig(c.path(), "y", null, null, null, null, null, policy,
                null, null), tmp.resolve("out"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.column()).isEqualTo("b");
            assertThat(p.row()).isZero();
            assertThat(p.expectation()).contains("empty in every one of the 60 rows", "list it under `ignore:`");
        });

        // The fix the message gives works (once is enough: the policy plays no part in it).
        if (policy != MissingPolicy.ERROR) return;
        CsvIngestConfig ignored = new CsvIngestConfig(csv.toString(), "y", null, null, null, List.of("b"), null, policy,
                null, null);
        success(ignored, tmp.resolve("ignored"));
        assertThat(Datasets.readSchema(tmp.resolve("ignored")).columns()).extracting(c -> c.name())
                .containsExactly("a", "c", "y");
    }

    @Test
    void aLabelEmptyInEveryRowIsOneErrorAboutTheLabel() {
        Path csv = write(tmp, "empty-label.csv", stripped(csv(HostileCsv::row), 3));

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.column()).isEqualTo("y");
            assertThat(p.expectation()).contains("empty in every one of the 60 rows",
                    "check that `label:` names the right column");
        });
    }

    @Test
    void constantFeaturesAreWarningFindingsNamingEachColumnAndAreKept() throws Exception {
        Path csv = write(tmp, "constant.csv", csv(i -> "1.5," + (i % 7) + ",same," + (i % 2 == 0 ? "n" : "p")));

        LocalStageContext context = success(config(csv), tmp.resolve("out"));

        assertThat(context.reportedFindings()).filteredOn(f -> f.code().equals("data.constant_feature"))
                .extracting(LocalStageContext.Finding::subject).containsExactly("a", "c");
        assertThat(context.reportedFindings()).filteredOn(f -> f.code().equals("data.constant_feature"))
                .allSatisfy(f -> {
                    assertThat(f.severity()).isEqualTo(FindingSink.Severity.WARNING);
                    assertThat(f.message()).contains("of constant.csv has a single value", "training split",
                            "it is kept as a model input", "`ignore:`");
                });
        assertThat(context.reportedFindings()).filteredOn(f -> f.subject().equals("a")).singleElement()
                .extracting(LocalStageContext.Finding::message).asString().contains("1.5");
        assertThat(Datasets.readSchema(tmp.resolve("out")).modelInputs()).extracting(c -> c.name())
                .containsExactly("a", "b", "c");
    }

    @Test
    void beyondTwentyConstantColumnsTheRestAreNamedInOneWarning() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < 25; k++) text.append("k").append(k).append(',');
        text.append("v,y\n");
        for (int i = 0; i < HostileCsv.ROWS; i++) {
            text.append("0,".repeat(25)).append(i % 5).append(',').append(i % 2 == 0 ? "n" : "p").append('\n');
        }

        LocalStageContext context = success(config(write(tmp, "pixels.csv", text.toString())), tmp.resolve("out"));

        List<LocalStageContext.Finding> constant = context.reportedFindings().stream()
                .filter(f -> f.code().equals("data.constant_feature")).toList();
        assertThat(constant).hasSize(21);
        assertThat(constant.subList(0, 20)).extracting(LocalStageContext.Finding::subject)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(k -> "k" + k).toList());
        assertThat(constant.get(20).subject()).isNull();
        assertThat(constant.get(20).message()).contains("5 more columns of pixels.csv have a single value",
                "k20, k21, k22, k23, k24", "`ignore:`");
    }

    @Test
    void manyLongClassNamesGiveABoundedMessage() {
        // Thirty classes of one row each, named by 500-character strings: every class is too small to stratify.
        Path csv = write(tmp, "classes.csv", csv(i -> row(i).substring(0, row(i).lastIndexOf(',') + 1)
                + (char) ('A' + i % 30) + "x".repeat(500)));

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.totalProblems()).isEqualTo(30);
        assertThat(e.problems()).hasSize(DataException.MAX_LISTED);
        assertThat(e.getMessage()).contains("… and 10 more problems", "more characters)", "… (10 more)");
        assertThat(e.problems()).allSatisfy(p -> {
            assertThat(p.expectation().length()).isLessThan(2_000);
            assertThat(p.expectation()).endsWith("or remove its rows");
        });
    }

    @Test
    void aDeclaredNumericColumnRejectsMarkersToo() {
        Path csv = write(tmp, "declared.csv", withField(3, 1, "null"));
        DataException e = failure(csv, c -> new CsvIngestConfig(c.path(), "y", Map.of("b", ColumnType.NUMERIC), null,
                null, null, null, null, null, null), tmp.resolve("out"));
        assertThat(e.problems()).singleElement().extracting(DataException.Problem::expectation).asString()
                .contains("never reads 'null' as a missing value");
    }
}

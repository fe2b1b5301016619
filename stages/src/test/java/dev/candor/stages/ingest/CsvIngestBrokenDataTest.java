package dev.candor.stages.ingest;

import static dev.candor.stages.ingest.IngestTestSupport.copyResource;
import static dev.candor.stages.ingest.IngestTestSupport.ingest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.candor.stages.data.ColumnType;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broken-CSV corpus ({@code broken-csv/}, see its README): every file fails with a {@link DataException} that
 * names the row and the column where there is one, and says how to fix it. Nothing is written for a broken file.
 */
class CsvIngestBrokenDataTest {

    @TempDir
    Path tmp;

    /** A broken file, how to configure the stage for it, and what the first problem must say. */
    record Case(String file, Function<Path, CsvIngestConfig> config, long row, String column, String value,
                List<String> says) {
        @Override
        public String toString() {
            return file;
        }
    }

    private static Function<Path, CsvIngestConfig> label(String label) {
        return p -> IngestTestSupport.config(p, label);
    }

    private static Function<Path, CsvIngestConfig> declared(String column, ColumnType type) {
        return p -> new CsvIngestConfig(p.toString(), "diagnosis", Map.of(column, type), null, null, null, null, null, null, null);
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                new Case("word-in-numeric-column.csv", label("diagnosis"), 19, "texture", "twelve",
                        List.of("expected a number", "inferred numeric because 39 of 40 values are numbers",
                                "declare it `categorical` under `columns:`")),
                new Case("missing-label.csv", label("diagnosis"), 6, "diagnosis", null,
                        List.of("the label is empty", "fill it in or delete the row")),
                new Case("empty.csv", label("diagnosis"), 0, null, null,
                        List.of("the file is empty", "expected a header row")),
                new Case("header-only.csv", label("diagnosis"), 0, null, null,
                        List.of("header row but no data rows", "radius, texture, diagnosis")),
                new Case("single-class.csv", label("diagnosis"), 0, "diagnosis", null,
                        List.of("a single class, 'b' (10 rows)", "at least two classes")),
                new Case("ragged-row.csv", label("diagnosis"), 8, null, null,
                        List.of("found 4 fields, expected 3", "must be wrapped in double quotes")),
                new Case("duplicate-header.csv", label("diagnosis"), 1, "radius", null,
                        List.of("names column 'radius' twice (columns 1 and 3)", "unique name")),
                new Case("missing-value.csv", label("diagnosis"), 4, "texture", null,
                        List.of("the field is empty", "`missing:`", "impute-mean")),
                new Case("unknown-label.csv", label("target"), 1, "target", null,
                        List.of("`label:` names a column that is not in the header", "radius, texture, diagnosis",
                                "correct the name under `label:`")),
                new Case("class-too-small.csv", label("diagnosis"), 0, "diagnosis", null,
                        List.of("class 'm' has 2 rows, too few to stratify", "at least 3 rows",
                                "Rows per class: b 12, m 2", "add rows of 'm'")),
                new Case("declared-numeric-after-multiline.csv", declared("size", ColumnType.NUMERIC), 6, "size", "big",
                        List.of("expected a number", "declared numeric under `columns:`")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBrokenFileFailsWithTheRowTheColumnAndTheFix(Case c) {
        Path csv = copyResource("broken-csv/" + c.file(), tmp.resolve("in"));
        Path out = tmp.resolve("out");

        DataException e = catchThrowableOfType(DataException.class, () -> ingest(c.config().apply(csv), 7, out));

        assertThat(e).as("%s must fail with a DataException", c.file()).isNotNull();
        DataException.Problem first = e.problems().get(0);
        assertThat(first.file()).isEqualTo(c.file());
        assertThat(first.row()).isEqualTo(c.row());
        assertThat(first.column()).isEqualTo(c.column());
        assertThat(first.value()).isEqualTo(c.value());
        assertThat(e.getMessage()).contains(c.says());
        if (c.row() > 0) assertThat(e.getMessage()).contains(c.file() + ": row " + c.row());
        if (c.column() != null) assertThat(e.getMessage()).contains("column '" + c.column() + "'");
        assertThat(out.toFile().list()).as("nothing is written for a broken file").isNullOrEmpty();
    }

    @Test
    void manyProblemsAreReportedTogetherTheFirstTwentyInFileOrderWithTheTotal() {
        Path csv = copyResource("broken-csv/many-problems.csv", tmp.resolve("in"));
        CsvIngestConfig config = new CsvIngestConfig(csv.toString(), "diagnosis", Map.of("texture", ColumnType.NUMERIC),
                "id", null, null, null, null, null, null);

        DataException e = catchThrowableOfType(DataException.class, () -> ingest(config, 7, tmp.resolve("out")));

        assertThat(e.totalProblems()).isEqualTo(25);
        assertThat(e.problems()).hasSize(20);
        assertThat(e.problems()).extracting(DataException.Problem::row)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(2, 21).boxed().toList());
        assertThat(e.problems()).allMatch(p -> p.column().equals("texture") && p.value().equals("n/a"));
        assertThat(e.getMessage()).endsWith("… and 5 more problems");
    }

    @Test
    void configurationMistakesAreCaughtBeforeAnyData() {
        assertThat(catchThrowableOfType(ConfigException.class, () -> new CsvIngestConfig("/x.csv", "y",
                Map.of("y", ColumnType.NUMERIC), null, null, null, null, null, null, null)))
                .hasMessageContaining("always categorical").extracting(ConfigException::key).isEqualTo("columns");
        assertThat(catchThrowableOfType(ConfigException.class, () -> new CsvIngestConfig("/x.csv", "y", null, null,
                List.of("sex"), List.of("sex"), null, null, null, null)))
                .extracting(ConfigException::key).isEqualTo("ignore");
    }

    @Test
    void everyUnknownColumnIsNamedAtOnce() {
        Path csv = copyResource("broken-csv/unknown-label.csv", tmp.resolve("in"));
        CsvIngestConfig config = new CsvIngestConfig(csv.toString(), "diagnosis", Map.of("radious", ColumnType.NUMERIC),
                "patient", List.of("sex"), null, null, null, null, null);

        DataException e = catchThrowableOfType(DataException.class, () -> ingest(config, 7, tmp.resolve("out")));

        assertThat(e.problems()).extracting(DataException.Problem::column).containsExactly("patient", "sex", "radious");
        assertThat(e.getMessage()).contains("`id:` names a column", "`protected:` names a column", "`columns:` names a column");
    }
}

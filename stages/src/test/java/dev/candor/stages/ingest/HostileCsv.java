package dev.candor.stages.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.LocalStageContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * Small CSV files written by the tests themselves, for the hostile-data tests: 60 rows of two numeric columns
 * ({@code a}, {@code b}), a categorical one ({@code c}) and a two-class label ({@code y}); data row {@code i}
 * (0-based) is line {@code i + 2}.
 */
final class HostileCsv {
    static final String HEADER = "a,b,c,y";
    static final int ROWS = 60;

    private HostileCsv() {
    }

    /** The normal content of data row {@code i}. */
    static String row(int i) {
        return String.format(Locale.ROOT, "%.2f,%d,%s,%s", (i * 37 % 100) / 10.0, i % 7, i % 3 == 0 ? "x" : "z",
                i % 2 == 0 ? "n" : "p");
    }

    /** The file with its data rows given by {@code row}, LF line ends. */
    static String csv(IntFunction<String> row) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < ROWS; i++) sb.append(row.apply(i)).append('\n');
        return sb.toString();
    }

    /** The normal file with the fields of line {@code line}'s column {@code column} (0-based) replaced. */
    static String withField(int line, int column, String value) {
        return csv(i -> {
            if (i + 2 != line) return row(i);
            String[] f = row(i).split(",");
            f[column] = value;
            return String.join(",", f);
        });
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            Files.createDirectories(dir);
            return Files.write(dir.resolve(name), bytes).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, String text) {
        return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    static CsvIngestConfig config(Path csv) {
        return IngestTestSupport.config(csv, "y");
    }

    /** Runs the real stage on the file and returns the DataException it must fail with; nothing may be written. */
    static DataException failure(Path csv, UnaryOperator<CsvIngestConfig> configure, Path out) {
        DataException e = catchThrowableOfType(DataException.class,
                () -> IngestTestSupport.ingest(configure.apply(config(csv)), 7, out));
        assertThat(e).as("%s must fail with a DataException", csv.getFileName()).isNotNull();
        assertThat(e.getMessage()).as("no raw exception reaches the user")
                .doesNotContain("Exception", "\tat ", "Input length =", "Infinite or NaN");
        assertThat(out.toFile().list()).as("nothing is written for a broken file").isNullOrEmpty();
        return e;
    }

    /** Runs the real stage on the file, which must be accepted; returns the context (findings, metrics). */
    static LocalStageContext success(CsvIngestConfig config, Path out) throws Exception {
        LocalStageContext context = new LocalStageContext("data", 7, List.of(), out, "cpu");
        new CsvIngestStage().run(config, context);
        return context;
    }
}

package dev.candor.stages.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.candor.stages.data.Datasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code statistics.json}, as {@code ingest.csv} writes it: what was read, what was dropped or
 * imputed, the class balance of every split and per-column statistics. Numeric statistics are over the values
 * present in the file (imputed values are counted, not averaged in); imputation values come from the training split
 * alone.
 *
 * @param source        the source file name
 * @param sha256        the source file's SHA-256
 * @param seed          the seed the split was drawn from
 * @param missingPolicy the missing-value policy applied
 * @param rows          row counts
 * @param classBalance  rows per class, per split ({@code train}, {@code validation}, {@code test}, {@code all})
 * @param columns       the kept columns, in source order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestStatistics(String source, String sha256, long seed, String missingPolicy, Rows rows,
                               Map<String, Map<String, Long>> classBalance, List<ColumnStatistics> columns) {

    /** Name of the statistics group covering every split together. */
    public static final String ALL = "all";

    public IngestStatistics {
        columns = List.copyOf(columns);
    }

    /**
     * @param read        data rows in the file (the header excluded)
     * @param dropped     rows dropped for empty fields ({@code missing: drop})
     * @param droppedRows the first dropped rows' line numbers, at most 20
     * @param train       rows in the training split
     * @param validation  rows in the validation split
     * @param test        rows in the test split
     */
    public record Rows(long read, long dropped, List<Long> droppedRows, long train, long validation, long test) {
        public Rows {
            droppedRows = List.copyOf(droppedRows);
        }
    }

    /**
     * @param name       the column name
     * @param type       {@code NUMERIC} or {@code CATEGORICAL}
     * @param typeReason why it has that type: declared, fixed by its role, or the inference's evidence
     * @param role       its role
     * @param missing    empty fields in the whole file
     * @param imputation what filled its empty fields, or null when nothing was imputed
     * @param splits     statistics per split and for {@value #ALL}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ColumnStatistics(String name, String type, String typeReason, String role, long missing,
                                   Imputed imputation, Map<String, SplitColumn> splits) {
    }

    /**
     * @param value  the value filled in (a number or a category)
     * @param method how it was chosen
     */
    public record Imputed(Object value, String method) {
    }

    /**
     * One column's statistics over one split. Numeric columns have min, max, mean and std (sample standard
     * deviation; absent below two values); categorical columns have category counts.
     *
     * @param count      values present in the file
     * @param missing    empty fields
     * @param imputed    empty fields filled by imputation
     * @param min        the smallest value
     * @param max        the largest value
     * @param mean       the mean
     * @param std        the sample standard deviation
     * @param categories rows per category, sorted by category
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SplitColumn(long count, long missing, long imputed, Double min, Double max, Double mean, Double std,
                              Map<String, Long> categories) {
    }

    /** Reads {@code statistics.json} from a dataset artifact directory. */
    public static IngestStatistics read(Path dir) {
        Path file = dir.resolve(Datasets.STATISTICS_FILE);
        try {
            return Datasets.json().readValue(file.toFile(), IngestStatistics.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void write(Path dir) {
        try {
            Datasets.json().writeValue(dir.resolve(Datasets.STATISTICS_FILE).toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

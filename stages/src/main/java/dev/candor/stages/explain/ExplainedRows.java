package dev.candor.stages.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Reads back the rows an explanation stage's Beam workers wrote, one JSON object per line in files {@code <prefix>*}:
 * the same for SHAP, LIME and gradient explanations.
 */
final class ExplainedRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExplainedRows() {
    }

    /** Every row in the files {@code <prefix>*} of {@code dir}, sorted by source row, each row checked to come once. */
    static <T> List<T> readAll(Path dir, String prefix, Class<T> type, ToLongFunction<T> sourceRow) {
        List<T> rows = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path f : files) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) rows.add(JSON.readValue(line, type));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the explained rows in " + dir, e);
        }
        rows.sort(Comparator.comparingLong(sourceRow));
        for (int i = 1; i < rows.size(); i++) {
            if (sourceRow.applyAsLong(rows.get(i)) == sourceRow.applyAsLong(rows.get(i - 1))) {
                throw new IllegalStateException("source row " + sourceRow.applyAsLong(rows.get(i)) + " was explained"
                        + " twice; the pipeline must emit each row once");
            }
        }
        return rows;
    }
}

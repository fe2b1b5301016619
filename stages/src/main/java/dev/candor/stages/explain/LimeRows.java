package dev.candor.stages.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The LIME explanation of one row as it travels back from the pipeline (JSON lines in the stage's scratch
 * directory, since other runners do not share the stage's memory).
 */
final class LimeRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LimeRows() {
    }

    /**
     * One explained row.
     *
     * @param sourceRow  the 1-based line of the row in the source file
     * @param weights    {@code weights[class][player]} for the explained classes: the surrogate's coefficients in
     *                   standardized units, summed over a source column's encoded features
     * @param intercept  the surrogate's intercept per explained class
     * @param prediction the model's probability per explained class
     * @param fidelity   the surrogate's weighted R² per explained class
     * @param samples    perturbed rows the model scored
     */
    record Explained(long sourceRow, double[][] weights, double[] intercept, double[] prediction, double[] fidelity,
                     int samples) implements Serializable {
        /** The mean fidelity over the explained classes. */
        double meanFidelity() {
            double s = 0;
            for (double f : fidelity) s += f;
            return s / fidelity.length;
        }
    }

    static String toJson(Explained e) {
        try {
            return JSON.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write a LIME row as JSON", ex);
        }
    }

    /** Every file {@code <prefix>*} in {@code dir}, sorted by source row, each row checked to come once. */
    static List<Explained> readAll(Path dir, String prefix) {
        List<Explained> rows = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path f : files) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) rows.add(JSON.readValue(line, Explained.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the LIME rows in " + dir, e);
        }
        rows.sort(Comparator.comparingLong(Explained::sourceRow));
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).sourceRow() == rows.get(i - 1).sourceRow()) {
                throw new IllegalStateException("source row " + rows.get(i).sourceRow() + " was explained twice; the"
                        + " pipeline must emit each row once");
            }
        }
        return rows;
    }
}

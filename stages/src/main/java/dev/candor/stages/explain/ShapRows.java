package dev.candor.stages.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The values that travel through the explanation pipeline: a row to explain in, its explanation out (carried back
 * to the stage as JSON lines in its scratch directory, since other runners do not share the stage's memory).
 */
final class ShapRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShapRows() {
    }

    /**
     * A row to explain.
     *
     * @param sourceRow the 1-based line of the row in the source file
     * @param seed      the seed of its coalition draws (a function of the stage seed and the source row, so the
     *                  explanation does not depend on how the runner bundles rows)
     * @param features  the encoded row, the model's input
     */
    record Input(long sourceRow, long seed, float[] features) implements Serializable {
    }

    /**
     * One explained row.
     *
     * @param sourceRow        the 1-based line of the row in the source file
     * @param values           {@code values[class][player]} for the explained classes, players being source columns
     * @param base             the base value per explained class
     * @param prediction       the model output per explained class, in the output space of the values
     * @param modelEvaluations rows the model scored for this explanation (0 for TreeSHAP)
     */
    record Explained(long sourceRow, double[][] values, double[] base, double[] prediction, long modelEvaluations)
            implements Serializable {
    }

    static String toJson(Explained e) {
        return json(e);
    }

    static String toJson(MeanAbsShap.Summary s) {
        return json(s);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write " + o.getClass().getSimpleName() + " as JSON", ex);
        }
    }

    /** The summary the combiner wrote to {@code file}. */
    static MeanAbsShap.Summary readSummary(Path file) {
        try {
            return JSON.readValue(Files.readString(file), MeanAbsShap.Summary.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the SHAP summary " + file, e);
        }
    }
}

package dev.candor.stages.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;

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
}

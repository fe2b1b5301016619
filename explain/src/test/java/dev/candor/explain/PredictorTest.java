package dev.candor.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredictorTest {
    /** out = (x0 + x1, x0 − x1): simple enough to check by eye. */
    private static final Predictor SUM_DIFF = new Predictor() {
        @Override public int inputWidth() { return 2; }
        @Override public List<String> outputNames() { return List.of("sum", "diff"); }
        @Override public void predict(float[] rows, int n, float[] out) {
            Predictor.checkShapes(this, rows, n, out);
            for (int i = 0; i < n; i++) {
                out[2 * i] = rows[2 * i] + rows[2 * i + 1];
                out[2 * i + 1] = rows[2 * i] - rows[2 * i + 1];
            }
        }
    };

    @Test
    void theRowFormFlattensAndSplitsRows() {
        float[][] out = SUM_DIFF.predict(new float[][] {{1, 2}, {5, 3}});
        assertThat(out).isDeepEqualTo(new float[][] {{3, -1}, {8, 2}});
        assertThat(SUM_DIFF.outputWidth()).isEqualTo(2);
        assertThat(SUM_DIFF.predict(new float[0][])).isEmpty();
    }

    @Test
    void wrongShapesAreRefused() {
        assertThatThrownBy(() -> SUM_DIFF.predict(new float[][] {{1, 2, 3}}))
                .hasMessage("row 0 has 3 features, the model takes 2");
        assertThatThrownBy(() -> SUM_DIFF.predict(new float[3], 2, new float[4]))
                .hasMessage("2 rows of 2 features need 4 input values, the array holds 3");
        assertThatThrownBy(() -> SUM_DIFF.predict(new float[4], 2, new float[3]))
                .hasMessage("2 rows of 2 outputs need 4 output slots, the array holds 3");
    }
}

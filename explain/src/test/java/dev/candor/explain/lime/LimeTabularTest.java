package dev.candor.explain.lime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.explain.Predictor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LimeTabularTest {
    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e", "f");
    /** Features a, b, c matter a lot, d, e, f hardly: a well-separated example. */
    private static final double[] W = {2.0, -1.6, 1.2, 0.1, -0.05, 0.02};

    private static final Predictor LOGISTIC = new Predictor() {
        @Override public int inputWidth() { return 6; }
        @Override public List<String> outputNames() { return List.of("no", "yes"); }
        @Override public void predict(float[] rows, int n, float[] out) {
            for (int i = 0; i < n; i++) {
                double z = 0;
                for (int j = 0; j < 6; j++) z += W[j] * rows[i * 6 + j];
                double p = 1 / (1 + Math.exp(-z));
                out[2 * i] = (float) (1 - p);
                out[2 * i + 1] = (float) p;
            }
        }
    };

    private static float[][] training() {
        SplittableRandom r = new SplittableRandom(8);
        float[][] rows = new float[300][6];
        for (float[] row : rows) for (int j = 0; j < 6; j++) row[j] = (float) r.nextDouble(-1, 1);
        for (float[] row : rows) row[5] = 3; // a constant column
        return rows;
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        LimeTabular lime = new LimeTabular(LOGISTIC, NAMES, training(), LimeTabular.Options.defaults()
                .withSamples(2000));
        float[] x = {0.1f, 0.2f, -0.1f, 0.5f, 0.3f, 3};
        LimeExplanation a = lime.explain(x, 77);
        LimeExplanation b = lime.explain(x, 77);
        assertThat(b.weights()).isDeepEqualTo(a.weights());
        assertThat(b.weightedR2()).isEqualTo(a.weightedR2());
        assertThat(lime.explain(x, 78).weights()).isNotEqualTo(a.weights());
        assertThat(a.samples()).isEqualTo(2000);
        assertThat(a.modelPrediction()[1]).isEqualTo(LOGISTIC.predict(new float[][] {x})[0][1]);
    }

    @Test
    void acrossSeedsTheTopThreeFeaturesAgreeAndTheSurrogateIsFaithful() {
        LimeTabular lime = new LimeTabular(LOGISTIC, NAMES, training(), LimeTabular.Options.defaults());
        float[] x = {0.1f, 0.2f, -0.1f, 0.5f, 0.3f, 3};
        for (long seed = 0; seed < 5; seed++) {
            LimeExplanation e = lime.explain(x, seed);
            assertThat(e.topFeatures(1, 3)).as("seed %d", seed).containsExactly(0, 1, 2);
            assertThat(e.weights(1)[0]).isPositive();
            assertThat(e.weights(1)[1]).isNegative();
            assertThat(e.weights(1)[5]).isZero(); // never perturbed
            assertThat(e.weightedR2()[1]).as("fidelity, seed %d", seed).isGreaterThan(0.95);
            // two outputs that sum to 1 give opposite surrogates
            assertThat(e.weights(0)[0]).isNegative();
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> LimeTabular.Options.defaults().withSamples(1))
                .hasMessageContaining("LIME needs samples >= 2, got 1");
        assertThatThrownBy(() -> new LimeTabular(LOGISTIC, List.of("a"), training(), LimeTabular.Options.defaults()))
                .hasMessageContaining("1 feature names for a model of 6 columns");
    }
}

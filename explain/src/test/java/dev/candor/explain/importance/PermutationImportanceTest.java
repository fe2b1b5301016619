package dev.candor.explain.importance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.explain.Predictor;
import dev.candor.explain.shap.Players;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PermutationImportanceTest {
    /** p(yes) = σ(4 x0 + 1 x1); x2 unused. */
    private static final Predictor MODEL = new Predictor() {
        @Override public int inputWidth() { return 3; }
        @Override public List<String> outputNames() { return List.of("no", "yes"); }
        @Override public void predict(float[] rows, int n, float[] out) {
            for (int i = 0; i < n; i++) {
                double p = 1 / (1 + Math.exp(-(4 * rows[i * 3] + rows[i * 3 + 1])));
                out[2 * i] = (float) (1 - p);
                out[2 * i + 1] = (float) p;
            }
        }
    };

    @Test
    void rankingFollowsTheModelAndIsSeeded() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 400;
        float[][] rows = new float[n][3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) rows[i][j] = (float) r.nextDouble(-1, 1);
            labels[i] = 4 * rows[i][0] + rows[i][1] + r.nextDouble(-0.5, 0.5) > 0 ? 1 : 0;
        }
        PermutationImportance.Options opts = new PermutationImportance.Options(4, 64, 11);
        PermutationImportance.Result a = PermutationImportance.compute(MODEL, rows, labels, Players.singletons(3),
                PermutationImportance.ACCURACY, opts);
        PermutationImportance.Result b = PermutationImportance.compute(MODEL, rows, labels, Players.singletons(3),
                PermutationImportance.ACCURACY, opts);
        assertThat(b).isEqualTo(a);
        var f = a.features();
        assertThat(f.get(0).mean()).isGreaterThan(f.get(1).mean() + 3 * f.get(0).std());
        assertThat(f.get(1).mean()).isGreaterThan(0);
        assertThat(f.get(2).mean()).isZero(); // an unused column changes no prediction
        assertThat(f.get(2).std()).isZero();
        assertThat(f.get(0).drops()).hasSize(4);
        assertThat(a.baseline()).isGreaterThan(0.85);
        PermutationImportance.Result logLoss = PermutationImportance.compute(MODEL, rows, labels,
                Players.singletons(3), PermutationImportance.NEGATIVE_LOG_LOSS, opts);
        assertThat(logLoss.features().get(0).mean()).isGreaterThan(logLoss.features().get(1).mean());
    }

    @Test
    void labelsOutsideTheOutputsAreRefused() {
        assertThatThrownBy(() -> PermutationImportance.compute(MODEL, new float[][] {{0, 0, 0}}, new int[] {2},
                Players.singletons(3), PermutationImportance.ACCURACY, PermutationImportance.Options.defaults()))
                .hasMessageContaining("label 2 of row 0 is not a class index of the model's 2 outputs");
    }
}

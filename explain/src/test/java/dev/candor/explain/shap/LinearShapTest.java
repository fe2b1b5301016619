package dev.candor.explain.shap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.explain.Predictor;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LinearShapTest {
    private static final double[] W = {0.75, -1.25, 0.5, 2.0, -0.25, 0.125};
    private static final double B = 0.375;

    @Test
    void valuesAreWeightTimesDistanceFromTheMeanExactly() {
        float[][] bg = TestModels.gaussianRows(8, W.length, 3);
        Background background = Background.of(bg);
        double[] means = background.columnMeans();
        float[] x = TestModels.gaussianRows(1, W.length, 4)[0];
        ShapValues sv = LinearShap.logistic(W, B, means, Players.singletons(W.length)).explain(x);
        for (int j = 0; j < W.length; j++) assertThat(sv.value(0, j)).isEqualTo(W[j] * (x[j] - means[j]));
        assertThat(sv.outputSpace()).isEqualTo(ShapValues.OutputSpace.LOG_ODDS);
        assertThat(sv.method()).isEqualTo(ShapValues.Method.LINEAR);
        assertThat(sv.modelEvaluations()).isZero();
        assertThat(sv.efficiencyGap()).isLessThan(1e-12);
    }

    @Test
    void agreesWithExactKernelShapOnTheMargin() {
        // Quarter-valued rows and dyadic weights keep the margin exact in float, so the two may agree to rounding.
        Predictor margin = TestModels.margin(W, B);
        float[][] bg = TestModels.gaussianRows(10, W.length, 5);
        Background background = Background.of(bg);
        KernelShap kernel = new KernelShap(margin, background, Players.singletons(W.length),
                KernelShap.Options.defaults());
        LinearShap linear = LinearShap.logistic(W, B, background.columnMeans(), Players.singletons(W.length));
        for (float[] x : TestModels.gaussianRows(4, W.length, 6)) {
            ShapValues k = kernel.explain(x);
            ShapValues l = linear.explain(x);
            for (int j = 0; j < W.length; j++) assertThat(k.value(0, j)).isCloseTo(l.value(0, j), Offset.offset(1e-9));
            assertThat(k.base()[0]).isCloseTo(l.base()[0], Offset.offset(1e-9));
            assertThat(k.prediction()[0]).isCloseTo(l.prediction()[0], Offset.offset(1e-9));
        }
    }

    @Test
    void groupedPlayersSumTheirColumns() {
        double[] means = {0, 1, 0, 0, 0, 0};
        Players groups = new Players(List.of("ab", "rest"), List.of(new int[] {0, 1}, new int[] {2, 3, 4, 5}));
        ShapValues sv = LinearShap.logistic(W, B, means, groups).explain(new float[] {1, 1, 1, 1, 1, 1});
        assertThat(sv.value(0, 0)).isEqualTo(0.75);
        assertThat(sv.value(0, 1)).isEqualTo(0.5 + 2.0 - 0.25 + 0.125);
    }

    @Test
    void mismatchedShapesAreRefused() {
        assertThatThrownBy(() -> LinearShap.logistic(W, B, new double[3], Players.singletons(3)))
                .hasMessageContaining("has 6 coefficients but 3 column means were given");
    }
}

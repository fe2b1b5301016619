package dev.candor.explain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LinearSolveTest {

    @Test
    void solvesASystemThatNeedsPivoting() {
        double[] a = {0, 2, 1, 1, 1, 1, 2, 1, 0};
        double[] b = new double[3];
        double[] x = {1, 2, 1};
        for (int r = 0; r < 3; r++) b[r] = a[r * 3] * x[0] + a[r * 3 + 1] * x[1] + a[r * 3 + 2] * x[2];
        double[] got = LinearSolve.solveInPlace(a.clone(), b.clone(), 3);
        assertThat(got).containsExactly(x, Offset.offset(1e-12));
    }

    @Test
    void singularSystemsSaySo() {
        assertThatThrownBy(() -> LinearSolve.solveInPlace(new double[] {1, 2, 2, 4}, new double[] {1, 2}, 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("singular at column 1");
    }

    @Test
    void constrainedLeastSquaresRecoversAnExactFitAndHoldsTheConstraint() {
        SplittableRandom r = new SplittableRandom(1);
        int m = 40;
        int p = 4;
        double[] beta = {0.5, -1, 2, 0.25};
        double[] z = new double[m * p];
        double[] y = new double[m];
        double[] w = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < p; j++) z[i * p + j] = r.nextDouble(-1, 1);
            for (int j = 0; j < p; j++) y[i] += beta[j] * z[i * p + j];
            w[i] = r.nextDouble(0.1, 2);
        }
        // the true coefficients sum to 1.75, so imposing it changes nothing
        assertThat(LinearSolve.constrainedWeightedLeastSquares(z, y, w, m, p, 1.75))
                .containsExactly(beta, Offset.offset(1e-10));
        // imposing another total: the result sums to it, and beats every other point on the constraint
        double[] c = LinearSolve.constrainedWeightedLeastSquares(z, y, w, m, p, 3.0);
        assertThat(c[0] + c[1] + c[2] + c[3]).isCloseTo(3.0, Offset.offset(1e-14));
        double best = loss(z, y, w, m, p, c);
        for (int t = 0; t < 200; t++) {
            double[] d = c.clone();
            double e = r.nextDouble(-0.1, 0.1);
            int i = r.nextInt(p);
            int j = (i + 1 + r.nextInt(p - 1)) % p;
            d[i] += e;
            d[j] -= e; // stays on the constraint
            assertThat(loss(z, y, w, m, p, d)).isGreaterThanOrEqualTo(best);
        }
    }

    @Test
    void ridgeShrinksButLeavesTheInterceptAlone() {
        int m = 50;
        double[] z = new double[m];
        double[] y = new double[m];
        double[] w = new double[m];
        for (int i = 0; i < m; i++) {
            z[i] = i / 10.0 - 2.5;
            y[i] = 3 + 2 * z[i];
            w[i] = 1;
        }
        assertThat(LinearSolve.weightedRidge(z, y, w, m, 1, 0)).containsExactly(new double[] {3, 2},
                Offset.offset(1e-10));
        double[] shrunk = LinearSolve.weightedRidge(z, y, w, m, 1, 100);
        assertThat(shrunk[1]).isBetween(0.0, 2.0);
        // z is centred (mean −0.05 ≈ 0) so the intercept barely moves
        assertThat(shrunk[0]).isCloseTo(3, Offset.offset(0.1));
        double sxx = 0;
        for (double v : z) sxx += (v + 0.05) * (v + 0.05);
        assertThat(shrunk[1]).isCloseTo(2 * sxx / (sxx + 100), Offset.offset(1e-10));
    }

    private static double loss(double[] z, double[] y, double[] w, int m, int p, double[] beta) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            double f = 0;
            for (int j = 0; j < p; j++) f += beta[j] * z[i * p + j];
            s += w[i] * (y[i] - f) * (y[i] - f);
        }
        return s;
    }
}

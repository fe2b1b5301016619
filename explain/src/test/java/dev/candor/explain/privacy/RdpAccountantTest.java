package dev.candor.explain.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.candor.explain.privacy.RdpAccountant.Conversion;
import dev.candor.explain.privacy.RdpAccountant.Spent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RdpAccountantTest {

    @Test
    void matchesTensorFlowPrivacysPublishedMnistExample() {
        // Source: TensorFlow Privacy, tensorflow_privacy/privacy/analysis/compute_dp_sgd_privacy.py, module
        // docstring: "compute_dp_sgd_privacy --N=60000 --batch_size=256 --noise_multiplier=1.12 --epochs=60
        // --delta=1e-5 ... The output states that DP-SGD with these parameters satisfies (2.92, 1e-5)-DP."
        // That script takes q = batch/N, steps = ceil(epochs·N/batch) = 14063, the orders of DEFAULT_ORDERS and,
        // at the time, the standard conversion. The figure is printed to 3 significant digits, so allow ±0.005.
        // Measured: 2.92235.
        double q = 256.0 / 60000;
        long steps = RdpAccountant.steps(60000, 256, 60);
        assertThat(steps).isEqualTo(14063);
        Spent spent = RdpAccountant.epsilon(q, 1.12, steps, 1e-5, RdpAccountant.DEFAULT_ORDERS, Conversion.STANDARD);
        assertThat(spent.epsilon()).isCloseTo(2.92, within(0.005));
        assertThat(spent.conversion()).isEqualTo(Conversion.STANDARD);
        assertThat(spent.note()).isEmpty();
        // The improved conversion can only be tighter (measured 2.5216).
        Spent improved = RdpAccountant.epsilon(q, 1.12, steps, 1e-5, RdpAccountant.DEFAULT_ORDERS,
                Conversion.IMPROVED);
        assertThat(improved.epsilon()).isLessThan(spent.epsilon()).isGreaterThan(2.4);
    }

    @Test
    void matchesAbadiEtAlsMomentsAccountantExample() {
        // Source: Abadi, Chu, Goodfellow, McMahan, Mironov, Talwar, Zhang 2016, "Deep Learning with Differential
        // Privacy" (CCS), Section 3.1: "if q = 0.01, σ = 4, δ = 10^-5, and T = 10000, we have ε ≈ 1.26 using the
        // moments accountant". The moments accountant at integer λ is the RDP bound at order α = λ + 1 with the
        // standard conversion, so integer orders 2..33 (λ up to 32) reproduce it. Allow ±0.005 (printed to 3
        // significant digits). Measured: 1.25857, at α = 20.
        List<Double> orders = new ArrayList<>();
        for (int a = 2; a <= 33; a++) orders.add((double) a);
        Spent spent = RdpAccountant.epsilon(0.01, 4, 10_000, 1e-5, orders, Conversion.STANDARD);
        assertThat(spent.epsilon()).isCloseTo(1.26, within(0.005));
        assertThat(spent.order()).isEqualTo(20.0);
    }

    @Test
    void fullBatchIsTheGaussianMechanismAndNoSamplingCostsNothing() {
        // Mironov 2017, Proposition 7: the Gaussian mechanism with sensitivity 1 and noise σ is (α, α/(2σ²))-RDP.
        double[] rdp = RdpAccountant.rdp(1.0, 2.0, 3, List.of(2.0, 10.0, 2.5));
        assertThat(rdp).containsExactly(new double[] {3 * 2 / 8.0, 3 * 10 / 8.0, 3 * 2.5 / 8.0}, within(1e-15));
        assertThat(RdpAccountant.rdp(0.0, 1.0, 100, List.of(2.0))).containsExactly(0.0);
    }

    @Test
    void theFractionalOrderSeriesAgreesWithTheBinomialExpansionAtIntegerOrders() {
        // Two independent formulas of Mironov, Talwar, Zhang 2019 (Sections 3.3 and 3.4) for the same A_α.
        for (double sigma : new double[] {0.7, 1.1, 4}) {
            for (int alpha : new int[] {2, 3, 7, 20, 40}) {
                double exact = RdpAccountant.logAInteger(0.01, sigma, alpha);
                double series = RdpAccountant.logAFractional(0.01, sigma, alpha);
                assertThat(series).as("σ=%s α=%s", sigma, alpha).isCloseTo(exact, within(1e-9 * Math.abs(exact)));
            }
        }
        // and RDP is non-decreasing in the order (a property of Rényi divergences)
        double[] rdp = RdpAccountant.rdp(0.01, 1.1, 1, List.of(1.5, 1.75, 2.0, 2.5, 3.0, 4.5, 8.0));
        for (int k = 1; k < rdp.length; k++) assertThat(rdp[k]).isGreaterThanOrEqualTo(rdp[k - 1]);
    }

    @Test
    void agreesWithNumericalIntegrationOfTheRenyiMomentItself() {
        // Independent reference: A_α = E_{z ~ N(0, σ²)} [((1 − q) + q · exp((2z − 1) / (2σ²)))^α], the moment that
        // defines the sampled Gaussian mechanism's RDP (Mironov, Talwar, Zhang 2019, Section 3), integrated with
        // composite Simpson on [−30σ, α + 30σ] (the integrand peaks near z = α for large α and decays as a
        // Gaussian on both sides). Checks both the integer expansion and the fractional series.
        double q = 0.05, sigma = 1.5;
        for (double alpha : new double[] {1.5, 2.0, 3.75, 8.0, 12.0}) {
            double lo = -30 * sigma, hi = alpha + 30 * sigma;
            int n = 200_000;
            double h = (hi - lo) / n, sum = 0;
            for (int i = 0; i <= n; i++) {
                double z = lo + i * h;
                double density = Math.exp(-z * z / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
                double f = density * Math.pow((1 - q) + q * Math.exp((2 * z - 1) / (2 * sigma * sigma)), alpha);
                sum += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
            }
            double reference = Math.log(sum * h / 3) / (alpha - 1);
            double rdp = RdpAccountant.rdp(q, sigma, 1, List.of(alpha))[0];
            assertThat(rdp).as("α = %s", alpha).isCloseTo(reference, within(1e-9 * Math.max(1, reference)));
        }
    }

    @Test
    void theInverseFindsTheNoiseMultiplierThatMeetsTheTarget() {
        double q = 256.0 / 60000;
        long steps = 14063;
        double sigma = RdpAccountant.noiseMultiplier(2.92, q, steps, 1e-5, RdpAccountant.DEFAULT_ORDERS,
                Conversion.STANDARD, 1e-4);
        // the published pair (σ = 1.12 → ε = 2.92 rounded) inverts to σ near 1.12
        assertThat(sigma).isCloseTo(1.12, within(0.005));
        assertThat(RdpAccountant.epsilon(q, sigma, steps, 1e-5, RdpAccountant.DEFAULT_ORDERS, Conversion.STANDARD)
                .epsilon()).isLessThanOrEqualTo(2.92);
        assertThat(RdpAccountant.epsilon(q, sigma - 1e-4, steps, 1e-5, RdpAccountant.DEFAULT_ORDERS,
                Conversion.STANDARD).epsilon()).isGreaterThan(2.92);
        assertThatThrownBy(() -> RdpAccountant.noiseMultiplier(1e-6, 1.0, 1_000_000, 1e-5,
                RdpAccountant.DEFAULT_ORDERS, Conversion.STANDARD, 1e-3))
                .hasMessageContaining("no noise multiplier up to 1e4");
    }

    @Test
    void anOptimumAtTheEdgeOfTheOrdersIsFlaggedAndBadInputsNamed() {
        Spent s = RdpAccountant.epsilon(0.01, 4, 10_000, 1e-5, List.of(2.0, 3.0), Conversion.STANDARD);
        assertThat(s.order()).isEqualTo(3.0);
        assertThat(s.note()).contains("edge of the orders");
        assertThatThrownBy(() -> RdpAccountant.rdp(1.5, 1, 1, List.of(2.0))).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> RdpAccountant.rdp(0.1, 1, 1, List.of(1.0))).hasMessageContaining("must be > 1");
        assertThatThrownBy(() -> RdpAccountant.epsilon(0.1, 1, 1, 0, List.of(2.0), Conversion.STANDARD))
                .hasMessageContaining("delta must be in (0, 1)");
    }

    @Test
    void logErfcMatchesReferenceValues() {
        // Reference: ln(erfc(x)) from CPython's math.erfc (x <= 5), and the asymptotic series for x = 30.
        assertThat(Erfc.logErfc(-1)).isCloseTo(0.6112323176780705, within(1e-14));
        assertThat(Erfc.logErfc(0)).isCloseTo(0, within(1e-15));
        assertThat(Erfc.logErfc(0.5)).isCloseTo(-0.7350111298370844, within(1e-14));
        assertThat(Erfc.logErfc(1.9)).isCloseTo(-4.932345862780269, within(1e-13));
        assertThat(Erfc.logErfc(2.1)).isCloseTo(-5.816010968867555, within(1e-13));
        assertThat(Erfc.logErfc(5)).isCloseTo(-27.200889545537436, within(1e-12));
        double x = 30;
        double asymptotic = -x * x - Math.log(x * Math.sqrt(Math.PI)) + Math.log1p(-1 / (2 * x * x) + 3 / (4 * Math.pow(x, 4)));
        // the next term of the series, 15/(8x⁶) ≈ 2.6e-9, bounds the error of the truncated expansion
        assertThat(Erfc.logErfc(x)).isCloseTo(asymptotic, within(5e-9));
    }
}

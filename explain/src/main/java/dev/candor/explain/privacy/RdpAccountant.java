package dev.candor.explain.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * Rényi-DP accountant for DP-SGD: the sampled Gaussian mechanism (each row enters a step with probability q, the
 * clipped gradient sum gets Gaussian noise of standard deviation σ × clip norm) iterated over T steps. Pure
 * functions, no randomness, no logging.
 *
 * <p><b>RDP of one step</b> (Mironov 2017, "Rényi Differential Privacy", CSF; Mironov, Talwar, Zhang 2019,
 * "Rényi Differential Privacy of the Sampled Gaussian Mechanism", arXiv:1908.10530, Sections 3.3 and 3.4):
 * RDP(α) = log A_α / (α − 1), with, for integer α, the binomial expansion
 * <pre>  A_α = Σ_{i=0..α} C(α, i) (1 − q)^{α−i} q^i exp((i² − i) / (2σ²))</pre>
 * and, for fractional α, the two convergent series of Section 3.3 (terms with erfc), summed until both terms
 * fall below e^−30. All sums are taken in log space. This is the computation of TensorFlow Privacy's
 * {@code rdp_accountant.compute_rdp} ({@code _compute_log_a_int} / {@code _compute_log_a_frac}); q = 1 gives
 * α / (2σ²), the Gaussian mechanism's RDP, and q = 0 gives 0. RDP composes additively, so T steps give T × RDP(α).
 *
 * <p><b>Conversion to (ε, δ)</b>, two choices, named in every result:
 * <ul>
 *   <li>{@link Conversion#STANDARD} (Mironov 2017, Proposition 3): ε = min over α of RDP(α) + log(1/δ) / (α − 1);
 *       the conversion of TensorFlow Privacy before 2021 and of the figures published with it;</li>
 *   <li>{@link Conversion#IMPROVED} (Balle, Barthe, Gaboardi, Hsu, Sato 2020, "Hypothesis testing interpretations
 *       and Rényi differential privacy", Theorem 21; also Canonne, Kamath, Steinke 2020): ε = min over α of
 *       RDP(α) + log((α − 1)/α) − (log δ + log α) / (α − 1), and ε = 0 when δ² ≥ 1 − e^−RDP(α) (TensorFlow
 *       Privacy's current {@code compute_eps}). Always at most the standard one.</li>
 * </ul>
 */
public final class RdpAccountant {

    /** How RDP is turned into (ε, δ). */
    public enum Conversion { STANDARD, IMPROVED }

    /**
     * TensorFlow Privacy's default orders in {@code compute_dp_sgd_privacy}: 1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5,
     * 4, 4.5, 5, 6, …, 63, 128, 256, 512.
     */
    public static final List<Double> DEFAULT_ORDERS = defaultOrders();

    private RdpAccountant() {
    }

    /**
     * The privacy spent.
     *
     * @param epsilon    the ε reached for δ
     * @param delta      δ
     * @param order      the order α at which the minimum is reached
     * @param conversion the RDP → (ε, δ) conversion used
     * @param note       a caveat (the optimum sits at the edge of the orders given, so more orders may lower ε), or
     *                   empty
     */
    public record Spent(double epsilon, double delta, double order, Conversion conversion, String note) {
    }

    /**
     * The RDP of T steps of the sampled Gaussian mechanism at each order.
     *
     * @param q      the sampling rate, in [0, 1]
     * @param sigma  the noise multiplier σ (noise standard deviation / clip norm), &gt; 0
     * @param steps  T, &gt;= 0
     * @param orders the orders α, each &gt; 1
     */
    public static double[] rdp(double q, double sigma, long steps, List<Double> orders) {
        checkMechanism(q, sigma, steps);
        double[] out = new double[orders.size()];
        for (int k = 0; k < out.length; k++) {
            double alpha = orders.get(k);
            if (!(alpha > 1)) throw new IllegalArgumentException("RDP order " + alpha + " must be > 1");
            out[k] = steps * rdpOneStep(q, sigma, alpha);
        }
        return out;
    }

    /** The (ε, δ) spent by T steps: {@link #rdp} then {@link #epsilon(List, double[], double, Conversion)}. */
    public static Spent epsilon(double q, double sigma, long steps, double delta, List<Double> orders,
                                Conversion conversion) {
        return epsilon(orders, rdp(q, sigma, steps, orders), delta, conversion);
    }

    /** The smallest ε over the orders for a given δ in (0, 1). */
    public static Spent epsilon(List<Double> orders, double[] rdp, double delta, Conversion conversion) {
        if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        if (orders.size() != rdp.length || rdp.length == 0) {
            throw new IllegalArgumentException(orders.size() + " orders but " + rdp.length + " RDP values; need one"
                    + " RDP value per order, and at least one order");
        }
        double best = Double.POSITIVE_INFINITY, bestOrder = Double.NaN;
        for (int k = 0; k < rdp.length; k++) {
            double a = orders.get(k), r = rdp[k];
            double eps;
            if (conversion == Conversion.STANDARD) {
                eps = r - Math.log(delta) / (a - 1);
            } else if (delta * delta + Math.expm1(-r) >= 0) {
                eps = 0;
            } else {
                eps = r + Math.log1p(-1 / a) - Math.log(delta * a) / (a - 1);
            }
            eps = Math.max(eps, 0);
            if (eps < best) {
                best = eps;
                bestOrder = a;
            }
        }
        double min = orders.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = orders.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        String note = best > 0 && (bestOrder == min || bestOrder == max)
                ? "the optimum is at the edge of the orders given (" + bestOrder + "); more orders may lower ε"
                : "";
        return new Spent(best, delta, bestOrder, conversion, note);
    }

    /**
     * The smallest noise multiplier σ whose T steps at sampling rate q spend at most {@code targetEpsilon} for δ,
     * by bisection on σ (ε falls as σ grows) until the bracket is narrower than {@code tolerance}; the upper end of
     * the final bracket is returned, so the target is always met.
     *
     * @throws IllegalArgumentException when even σ = 1e4 cannot meet the target (lower the steps or the sampling
     *                                  rate, or raise ε)
     */
    public static double noiseMultiplier(double targetEpsilon, double q, long steps, double delta,
                                         List<Double> orders, Conversion conversion, double tolerance) {
        if (!(targetEpsilon > 0)) {
            throw new IllegalArgumentException("target epsilon must be > 0, got " + targetEpsilon);
        }
        if (!(tolerance > 0)) throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
        double lo = 0, hi = 1;
        while (epsilon(q, hi, steps, delta, orders, conversion).epsilon() > targetEpsilon) {
            lo = hi;
            hi *= 2;
            if (hi > 1e4) {
                throw new IllegalArgumentException("no noise multiplier up to 1e4 meets epsilon " + targetEpsilon
                        + " for q = " + q + ", " + steps + " steps, delta = " + delta
                        + "; raise the target epsilon or lower the sampling rate or the number of steps");
            }
        }
        while (hi - lo > tolerance) {
            double mid = (lo + hi) / 2;
            if (epsilon(q, mid, steps, delta, orders, conversion).epsilon() > targetEpsilon) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    /** The sampling rate and steps of DP-SGD over N rows with batch size B for E epochs: q = B/N, T = ⌈E·N/B⌉. */
    public static long steps(long rows, long batchSize, double epochs) {
        return (long) Math.ceil(epochs * rows / batchSize);
    }

    /** RDP(α) of a single step. */
    static double rdpOneStep(double q, double sigma, double alpha) {
        if (q == 0) return 0;
        if (q == 1) return alpha / (2 * sigma * sigma);
        if (Double.isInfinite(alpha)) return Double.POSITIVE_INFINITY;
        double logA = alpha == Math.rint(alpha) && alpha < 1e6 ? logAInteger(q, sigma, (int) alpha)
                : logAFractional(q, sigma, alpha);
        return logA / (alpha - 1);
    }

    /** log A_α for integer α by the binomial expansion. */
    static double logAInteger(double q, double sigma, int alpha) {
        double logA = Double.NEGATIVE_INFINITY;
        double logQ = Math.log(q), log1mQ = Math.log1p(-q);
        double logBinom = 0; // log C(α, 0)
        for (int i = 0; i <= alpha; i++) {
            if (i > 0) logBinom += Math.log(alpha - i + 1) - Math.log(i);
            double s = logBinom + i * logQ + (alpha - i) * log1mQ + (double) (i * (long) i - i) / (2 * sigma * sigma);
            logA = logAdd(logA, s);
        }
        return logA;
    }

    /** log A_α for fractional α by the two series of Mironov, Talwar, Zhang 2019, Section 3.3. */
    static double logAFractional(double q, double sigma, double alpha) {
        double logA0 = Double.NEGATIVE_INFINITY, logA1 = Double.NEGATIVE_INFINITY;
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double logQ = Math.log(q), log1mQ = Math.log1p(-q);
        double logAbsBinom = 0; // log |C(α, 0)|
        boolean positive = true;
        for (int i = 0; i < 100_000; i++) {
            if (i > 0) {
                double factor = (alpha - i + 1) / i;
                logAbsBinom += Math.log(Math.abs(factor));
                if (factor < 0) positive = !positive;
            }
            double j = alpha - i;
            double logT0 = logAbsBinom + i * logQ + j * log1mQ;
            double logT1 = logAbsBinom + j * logQ + i * log1mQ;
            double logE0 = Math.log(0.5) + Erfc.logErfc((i - z0) / (Math.sqrt(2) * sigma));
            double logE1 = Math.log(0.5) + Erfc.logErfc((z0 - j) / (Math.sqrt(2) * sigma));
            double logS0 = logT0 + (i * (double) i - i) / (2 * sigma * sigma) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (positive) {
                logA0 = logAdd(logA0, logS0);
                logA1 = logAdd(logA1, logS1);
            } else {
                logA0 = logSub(logA0, logS0);
                logA1 = logSub(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < -30) break;
        }
        return logAdd(logA0, logA1);
    }

    static double logAdd(double x, double y) {
        double a = Math.min(x, y), b = Math.max(x, y);
        if (a == Double.NEGATIVE_INFINITY) return b;
        return Math.log1p(Math.exp(a - b)) + b;
    }

    static double logSub(double x, double y) {
        if (x < y) {
            throw new ArithmeticException("log-space subtraction of a larger number (" + y + " > " + x + "): the"
                    + " fractional-order series lost precision; use integer orders");
        }
        if (y == Double.NEGATIVE_INFINITY) return x;
        if (x == y) return Double.NEGATIVE_INFINITY;
        double d = Math.expm1(x - y);
        return Double.isInfinite(d) ? x : Math.log(d) + y;
    }

    private static void checkMechanism(double q, double sigma, long steps) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("sampling rate q must be in [0, 1], got " + q);
        if (!(sigma > 0)) throw new IllegalArgumentException("noise multiplier must be > 0, got " + sigma);
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }

    private static List<Double> defaultOrders() {
        List<Double> o = new ArrayList<>(List.of(1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0, 3.5, 4.0, 4.5));
        for (int a = 5; a < 64; a++) o.add((double) a);
        o.addAll(List.of(128.0, 256.0, 512.0));
        return List.copyOf(o);
    }
}

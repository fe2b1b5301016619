package dev.candor.explain.privacy;

/**
 * The natural logarithm of the complementary error function, accurate to a few units in the last place over the
 * whole real line and free of underflow for large arguments (the RDP accountant needs {@code log erfc(x)} for x in
 * the hundreds). Java's standard library has no erfc.
 */
final class Erfc {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);

    private Erfc() {
    }

    /** ln erfc(x). */
    static double logErfc(double x) {
        if (x < 2) {
            if (x < -6) return Math.log(2); // erfc(x) = 2 − erfc(−x), erfc(6) ≈ 2e-17 is below one ulp of 2
            return x < 0 ? Math.log(2 - Math.exp(logErfc(-x))) : Math.log1p(-erf(x));
        }
        return -x * x - LOG_SQRT_PI + Math.log(continuedFraction(x));
    }

    /** erf(x) by its Maclaurin series, for |x| &lt; 2 (terms below 1e-17 of the sum stop it). */
    private static double erf(double x) {
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /**
     * {@code sqrt(π) · exp(x²) · erfc(x)} for x &gt;= 2 by the continued fraction
     * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated with the modified Lentz method.
     */
    private static double continuedFraction(double x) {
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 5000; n++) {
            double a = n / 2.0;
            d = x + a * d;
            if (d == 0) d = tiny;
            c = x + a / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return 1 / f;
    }
}

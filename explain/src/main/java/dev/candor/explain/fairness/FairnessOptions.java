package dev.candor.explain.fairness;

import java.util.Map;

/**
 * How to measure fairness.
 *
 * @param privileged       the declared privileged group per attribute name (intersections too, by their
 *                         {@code a × b} name); an attribute not named here takes the judged group with the
 *                         highest selection rate
 * @param minGroupSize     groups with fewer rows are "too few to judge"; at least 1
 * @param calibrationBins  equal-width score bins on [0, 1] for the reliability diagram and ECE; at least 1
 * @param resamples        bootstrap resamples B; 0 gives NaN intervals
 * @param confidence       the interval's confidence level, in (0, 1)
 * @param seed             the seed of every bootstrap draw
 */
public record FairnessOptions(Map<String, String> privileged, int minGroupSize, int calibrationBins, int resamples,
                              double confidence, long seed) {

    public FairnessOptions {
        privileged = Map.copyOf(privileged);
        if (minGroupSize < 1) throw new IllegalArgumentException("minGroupSize must be >= 1, got " + minGroupSize);
        if (calibrationBins < 1) {
            throw new IllegalArgumentException("calibrationBins must be >= 1, got " + calibrationBins);
        }
        if (resamples < 0) throw new IllegalArgumentException("resamples must be >= 0, got " + resamples);
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
    }

    /** Defaults: no declared privileged group, minimum group size 30, 10 bins, 1000 resamples, 95 %. */
    public static FairnessOptions defaults(long seed) {
        return new FairnessOptions(Map.of(), 30, 10, 1000, 0.95, seed);
    }
}

package dev.candor.stages.fairness;

import dev.candor.explain.fairness.Gap;
import java.util.ArrayList;
import java.util.List;

/**
 * The result names {@code evaluate} records for fairness on its split with no slice, as gates refer to them:
 * {@code fairness.<attribute>.<gap>} with its bootstrap interval, {@code *} standing for the attribute (or an
 * intersection {@code a_x_b}).
 */
public final class FairnessResults {

    /** {@code fairness.*.<gap>}, {@code fairness.*.<gap>_ci_low}, {@code fairness.*.<gap>_ci_high} for every gap. */
    public static final List<String> NAMES = names();

    private FairnessResults() {
    }

    private static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Gap g : Gap.values()) {
            String base = "fairness.*." + g.key();
            out.add(base);
            out.add(base + "_ci_low");
            out.add(base + "_ci_high");
        }
        return List.copyOf(out);
    }
}

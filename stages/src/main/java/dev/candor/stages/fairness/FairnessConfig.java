package dev.candor.stages.fairness;

import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code fairness:} block of {@code evaluate}: how to group the dataset's protected attributes and how to judge
 * the groups. Every key is optional; fairness is measured whenever the dataset has protected attributes.
 */
@Doc("How to measure group fairness over the dataset's protected attributes")
public record FairnessConfig(
        @Doc("Bin edges per numeric protected attribute, e.g. {age: [0, 25, 60, 200]} (bins [e0, e1), ..., the last closed)") Map<String, List<Double>> bins,
        @Doc("The privileged group per attribute, e.g. {sex: male}; default: the group with the highest selection rate") Map<String, String> privileged,
        @Doc("Pairs of protected attributes to measure together, e.g. [[sex, age]]") List<List<String>> intersections,
        @Doc("Groups with fewer rows are too few to judge (default 30)") Integer minGroup,
        @Doc("Bootstrap resamples for the intervals (default: evaluate's bootstrap; 0 turns them off)") Integer resamples,
        @Doc("The favourable outcome, a class of the model (default: the positive class)") String favourable) {

    public static final int DEFAULT_MIN_GROUP = 30;
    public static final int MAX_RESAMPLES = 100_000;

    public FairnessConfig {
        bins = bins == null ? Map.of() : copyBins(bins);
        privileged = privileged == null ? Map.of() : Map.copyOf(privileged);
        List<List<String>> pairs = new ArrayList<>();
        for (List<String> pair : intersections == null ? List.<List<String>>of() : intersections) {
            if (pair == null || pair.size() != 2 || pair.get(0).equals(pair.get(1))) {
                throw new ConfigException("intersections", "each intersection names two different protected"
                        + " attributes, e.g. [[sex, age]]; got " + pair);
            }
            pairs.add(List.copyOf(pair));
        }
        intersections = List.copyOf(pairs);
        minGroup = minGroup == null ? DEFAULT_MIN_GROUP : minGroup;
        if (minGroup < 1) throw new ConfigException("min_group", "must be >= 1, got " + minGroup);
        if (resamples != null && (resamples < 0 || resamples > MAX_RESAMPLES)) {
            throw new ConfigException("resamples", "must be in [0, " + MAX_RESAMPLES + "] (0 turns intervals off), got "
                    + resamples);
        }
        if (favourable != null && favourable.isBlank()) {
            throw new ConfigException("favourable", "is blank: name the favourable class (e.g. good), or leave the"
                    + " key out to use the positive class");
        }
    }

    /** Every key at its default. */
    public static FairnessConfig defaults() {
        return new FairnessConfig(null, null, null, null, null, null);
    }

    private static Map<String, List<Double>> copyBins(Map<String, List<Double>> bins) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : bins.entrySet()) {
            List<Double> edges = e.getValue() == null ? List.of() : List.copyOf(e.getValue());
            if (edges.size() < 2) {
                throw new ConfigException("bins", "attribute '" + e.getKey() + "' needs at least two increasing edges,"
                        + " e.g. [0, 25, 60, 200]; got " + edges);
            }
            for (int i = 1; i < edges.size(); i++) {
                if (!(edges.get(i) > edges.get(i - 1))) {
                    throw new ConfigException("bins", "the edges of '" + e.getKey() + "' must be strictly increasing;"
                            + " got " + edges);
                }
            }
            out.put(e.getKey(), edges);
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}

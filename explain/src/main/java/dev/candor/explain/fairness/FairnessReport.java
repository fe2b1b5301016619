package dev.candor.explain.fairness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fairness of one set of predictions, for each protected attribute and intersection measured.
 *
 * @param favourable      the favourable outcome
 * @param predictionRule  how predictions were made (e.g. {@code score >= 0.5})
 * @param rows            the number of rows measured
 * @param minGroupSize    the size below which a group is "too few to judge"
 * @param resamples       bootstrap resamples behind every interval
 * @param confidence      the intervals' confidence level
 * @param intervalMethod  how the intervals were computed, in words
 * @param attributes      one report per attribute, in the order given
 */
public record FairnessReport(String favourable, String predictionRule, int rows, int minGroupSize, int resamples,
                             double confidence, String intervalMethod, List<AttributeReport> attributes) {

    public FairnessReport {
        attributes = List.copyOf(attributes);
    }

    /**
     * The definition behind every number in the report, by its key ({@code selection_rate},
     * {@code disparate_impact}, …), group metrics first: what a reader needs to compare it with another library.
     */
    public Map<String, String> definitions() {
        Map<String, String> d = new LinkedHashMap<>();
        for (GroupMetric m : GroupMetric.values()) d.put(m.key(), m.definition());
        for (Gap g : Gap.values()) d.put(g.key(), g.definition());
        return d;
    }

    /** The report of one attribute by name. @throws IllegalArgumentException for an unknown attribute */
    public AttributeReport attribute(String name) {
        return attributes.stream().filter(a -> a.attribute().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no fairness report for attribute '" + name + "'; measured: "
                        + attributes.stream().map(AttributeReport::attribute).toList()));
    }
}

package dev.candor.explain.fairness;

import java.util.List;
import java.util.Map;

/**
 * The fairness of the predictions with respect to one attribute (or one intersection of two).
 *
 * @param attribute        the attribute name ({@code sex}, or {@code sex × age})
 * @param groups           one report per group, in the attribute's group order
 * @param privileged       the privileged group used by the signed gaps; empty when fewer than two groups are judged
 * @param privilegedReason how it was chosen: declared, or the judged group with the highest selection rate
 * @param gaps             every {@link Gap} with its estimate; the estimate is NaN, with a note, when fewer than two
 *                         groups can be judged
 */
public record AttributeReport(String attribute, List<GroupReport> groups, String privileged,
                              String privilegedReason, Map<Gap, Estimate> gaps) {

    public AttributeReport {
        groups = List.copyOf(groups);
        gaps = Map.copyOf(gaps);
    }

    /** The report of one group by name. @throws IllegalArgumentException for an unknown group */
    public GroupReport group(String name) {
        return groups.stream().filter(g -> g.group().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("attribute '" + attribute + "' has no group '" + name + "'; groups: "
                        + groups.stream().map(GroupReport::group).toList()));
    }

    /** The estimate of one gap. */
    public Estimate gap(Gap g) {
        return gaps.get(g);
    }
}

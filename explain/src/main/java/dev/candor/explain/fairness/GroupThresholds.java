package dev.candor.explain.fairness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Group-specific decision thresholds chosen after training to equalize a named criterion across the groups of one
 * attribute (the deterministic post-processing of Hardt, Price, Srebro 2016, "Equality of Opportunity in
 * Supervised Learning", without their randomized mixing), with the accuracy cost reported. Meant to be fitted on
 * a validation split and then applied to new rows. Pure function, no randomness.
 *
 * <p>Method: for every target rate t on a grid of 201 values 0, 0.005, …, 1, each group takes the threshold
 * (among its distinct scores, and +∞ for "nobody") whose criterion rate is closest to t (the higher threshold on
 * ties). Among the targets whose achieved gap (max − min of the groups' rates) is at most {@code tolerance}, the
 * one of highest overall accuracy wins (the lowest target on ties); target 0 (nobody favourable, gap 0) always
 * qualifies. Each threshold is one of the group's observed scores, and rows are predicted favourable when
 * {@code score >= threshold}.
 */
public final class GroupThresholds {

    /** The rate made equal across groups. */
    public enum Criterion {
        /** Equal selection rates P(Ŷ = fav | group): demographic parity. */
        DEMOGRAPHIC_PARITY,
        /** Equal true positive rates P(Ŷ = fav | Y = fav, group): equal opportunity (Hardt et al. 2016). */
        EQUAL_OPPORTUNITY
    }

    private static final int GRID = 200;

    private GroupThresholds() {
    }

    /**
     * One group's threshold.
     *
     * @param group      the group
     * @param rows       its rows
     * @param threshold  its threshold ({@code +∞}: nobody in the group is predicted favourable)
     * @param rateBefore its criterion rate at the common threshold; NaN when undefined (equal opportunity in a
     *                   group without favourable rows)
     * @param rateAfter  its criterion rate at its own threshold
     */
    public record GroupThreshold(String group, int rows, double threshold, double rateBefore, double rateAfter) {
    }

    /**
     * The chosen thresholds.
     *
     * @param attribute       the attribute
     * @param criterion       the criterion equalized
     * @param definition      the criterion and the method, in words
     * @param commonThreshold the single threshold the comparison starts from
     * @param groups          one threshold per group with rows, in group order
     * @param gapBefore       max − min of the criterion rate over groups at the common threshold
     * @param gapAfter        the same with the group thresholds
     * @param accuracyBefore  overall accuracy at the common threshold
     * @param accuracyAfter   overall accuracy with the group thresholds
     * @param notes           groups left at the common threshold, and why
     */
    public record Result(String attribute, Criterion criterion, String definition, double commonThreshold,
                         List<GroupThreshold> groups, double gapBefore, double gapAfter, double accuracyBefore,
                         double accuracyAfter, List<String> notes) {
        public Result {
            groups = List.copyOf(groups);
            notes = List.copyOf(notes);
        }

        /** The accuracy given up for the equalized criterion: accuracyBefore − accuracyAfter (negative: a gain). */
        public double accuracyCost() {
            return accuracyBefore - accuracyAfter;
        }
    }

    /**
     * Chooses one threshold per group.
     *
     * @param outcomes        true outcomes and scores (from {@link Outcomes#ofScores}); the predictions are ignored
     * @param attribute       the groups
     * @param commonThreshold the single threshold used before (e.g. 0.5), for the before/after comparison
     * @param tolerance       the largest acceptable gap, &gt;= 0
     * @throws IllegalArgumentException without scores, for mismatched rows or a negative tolerance
     */
    public static Result fit(Outcomes outcomes, ProtectedAttribute attribute, Criterion criterion,
                             double commonThreshold, double tolerance) {
        if (!outcomes.hasScores()) {
            throw new IllegalArgumentException("group thresholds need scores; build the outcomes with"
                    + " Outcomes.ofScores");
        }
        if (attribute.rows() != outcomes.rows()) {
            throw new IllegalArgumentException("attribute '" + attribute.name() + "' has " + attribute.rows()
                    + " rows but the outcomes have " + outcomes.rows());
        }
        if (!(tolerance >= 0)) throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        int groups = attribute.groups().size();
        List<Group> gs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            Group grp = Group.of(outcomes, attribute, g, criterion);
            if (grp.rows == 0) continue;
            if (grp.criterionRows == 0) {
                notes.add("group '" + grp.name + "' has no rows whose true outcome is favourable: its TPR is"
                        + " undefined, so it keeps the common threshold and takes no part in the gap");
            }
            gs.add(grp);
        }
        int n = outcomes.rows();
        double[] common = new double[gs.size()];
        int[] commonIdx = new int[gs.size()];
        long correctBefore = 0;
        for (int k = 0; k < gs.size(); k++) {
            commonIdx[k] = gs.get(k).indexFor(commonThreshold);
            common[k] = gs.get(k).rate(commonIdx[k]);
            correctBefore += gs.get(k).correct[commonIdx[k]];
        }
        // Target 0 puts every group at +∞ (gap 0), so some target always meets the tolerance.
        int[] bestIdx = null;
        double bestGap = Double.NaN;
        long bestCorrect = -1;
        for (int t = 0; t <= GRID; t++) {
            double target = (double) t / GRID;
            int[] idx = new int[gs.size()];
            long correct = 0;
            double[] rates = new double[gs.size()];
            for (int k = 0; k < gs.size(); k++) {
                Group grp = gs.get(k);
                idx[k] = grp.criterionRows == 0 ? commonIdx[k] : grp.closest(target);
                rates[k] = grp.rate(idx[k]);
                correct += grp.correct[idx[k]];
            }
            double gap = gap(rates);
            if (!(gap > tolerance) && correct > bestCorrect) {
                bestIdx = idx;
                bestGap = gap;
                bestCorrect = correct;
            }
        }
        List<GroupThreshold> out = new ArrayList<>();
        for (int k = 0; k < gs.size(); k++) {
            Group grp = gs.get(k);
            out.add(new GroupThreshold(grp.name, grp.rows, grp.thresholds[bestIdx[k]], common[k],
                    grp.rate(bestIdx[k])));
        }
        String rate = criterion == Criterion.DEMOGRAPHIC_PARITY ? "selection rate P(Ŷ = fav | group)"
                : "true positive rate P(Ŷ = fav | Y = fav, group)";
        String definition = "one threshold per group making the " + rate + " as equal as possible (gap = max − min"
                + " over groups, tolerance " + tolerance + "), the most accurate such set on a grid of 201 target"
                + " rates; predicted favourable when score >= the group's threshold (Hardt et al. 2016, without"
                + " randomization)";
        return new Result(attribute.name(), criterion, definition, commonThreshold, out, gap(common), bestGap,
                (double) correctBefore / n, (double) bestCorrect / n, notes);
    }

    private static double gap(double[] rates) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double r : rates) {
            if (Double.isNaN(r)) continue;
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        return max >= min ? max - min : Double.NaN;
    }

    /** One group's candidate thresholds (descending, +∞ first) and, for each, its criterion count and accuracy. */
    private static final class Group {
        String name;
        int rows;
        long criterionRows;
        double[] thresholds;
        long[] hits;
        long[] correct;

        static Group of(Outcomes o, ProtectedAttribute a, int g, Criterion c) {
            int[] codes = a.codes();
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < codes.length; i++) if (codes[i] == g) idx.add(i);
            Group grp = new Group();
            grp.name = a.groups().get(g);
            grp.rows = idx.size();
            double[] s = new double[idx.size()];
            for (int k = 0; k < s.length; k++) s[k] = o.scoreAt(idx.get(k));
            double[] distinct = Arrays.stream(s).distinct().sorted().toArray();
            int m = distinct.length;
            grp.thresholds = new double[m + 1];
            grp.thresholds[0] = Double.POSITIVE_INFINITY;
            for (int k = 0; k < m; k++) grp.thresholds[k + 1] = distinct[m - 1 - k];
            grp.hits = new long[m + 1];
            grp.correct = new long[m + 1];
            long negatives = 0;
            for (int i : idx) {
                boolean y = o.actualAt(i);
                if (c == Criterion.DEMOGRAPHIC_PARITY || y) grp.criterionRows++;
                if (!y) negatives++;
            }
            // Threshold k admits every row with score >= thresholds[k]; count by walking scores from the top.
            long[] admittedPos = new long[m + 1], admittedNeg = new long[m + 1];
            for (int i : idx) {
                int rank = Arrays.binarySearch(distinct, o.scoreAt(i)); // ascending position
                int k = m - rank; // admitted from threshold index k on
                if (o.actualAt(i)) admittedPos[k]++;
                else admittedNeg[k]++;
            }
            long pos = 0, neg = 0;
            for (int k = 0; k <= m; k++) {
                pos += admittedPos[k];
                neg += admittedNeg[k];
                grp.hits[k] = c == Criterion.DEMOGRAPHIC_PARITY ? pos + neg : pos;
                grp.correct[k] = pos + (negatives - neg);
            }
            return grp;
        }

        double rate(int k) {
            return criterionRows == 0 ? Double.NaN : (double) hits[k] / criterionRows;
        }

        /** The index of the threshold used for a common threshold t: the lowest candidate >= t. */
        int indexFor(double t) {
            int k = 0;
            while (k + 1 < thresholds.length && thresholds[k + 1] >= t) k++;
            return k;
        }

        /** The candidate whose rate is closest to the target; the higher threshold (lower index) on ties. */
        int closest(double target) {
            int best = 0;
            for (int k = 1; k < thresholds.length; k++) {
                if (Math.abs(rate(k) - target) < Math.abs(rate(best) - target)) best = k;
            }
            return best;
        }
    }
}

package dev.candor.explain.fairness;

import dev.candor.explain.metrics.Interval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Group fairness of binary decisions: per-group rates, calibration and between-group gaps, each with a seeded
 * bootstrap interval. Pure functions: no state, no logging; the same inputs and seed give the same report bit for
 * bit. The definitions are written out on {@link GroupMetric} and {@link Gap}.
 *
 * <p>Groups smaller than {@link FairnessOptions#minGroupSize()} are "too few to judge": they get no numbers and
 * take no part in the gaps. The privileged group is the declared one, or else the judged group with the highest
 * selection rate (the first in group order on ties); {@link AttributeReport#privilegedReason()} says which.
 *
 * <p>Intervals: stratified percentile bootstrap. Each resample redraws every judged group's rows with replacement
 * from that group (group sizes fixed, as in a stratified design, so a small group cannot vanish from a resample),
 * recomputes every metric and gap with the privileged group held fixed, and the interval is read off the sorted
 * defined values at the {@code (1 − confidence)/2} and {@code (1 + confidence)/2} quantiles (linear interpolation,
 * Hyndman &amp; Fan type 7). Resamples where a value is undefined are left out of its interval and counted in
 * {@link Interval#resamples()}.
 */
public final class GroupFairness {

    private GroupFairness() {
    }

    /**
     * Measures every attribute given (pass intersections made with {@link ProtectedAttribute#cross} as attributes
     * of their own; {@link #withPairwiseIntersections} adds all pairs).
     *
     * @throws IllegalArgumentException when an attribute covers a different number of rows than the outcomes, a
     *                                  declared privileged group is not a group of its attribute, or no rows
     */
    public static FairnessReport evaluate(Outcomes outcomes, List<ProtectedAttribute> attributes,
                                          FairnessOptions options) {
        if (outcomes.rows() == 0) throw new IllegalArgumentException("no rows to measure: the outcomes are empty");
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("no protected attribute given; declare at least one (e.g. sex)");
        }
        SplittableRandom root = new SplittableRandom(options.seed());
        List<AttributeReport> reports = new ArrayList<>();
        for (ProtectedAttribute a : attributes) {
            if (a.rows() != outcomes.rows()) {
                throw new IllegalArgumentException("attribute '" + a.name() + "' has " + a.rows() + " rows but the"
                        + " outcomes have " + outcomes.rows() + "; they must describe the same rows");
            }
            reports.add(attribute(outcomes, a, options, root.split()));
        }
        String method = "stratified percentile bootstrap: " + options.resamples() + " resamples, each group redrawn"
                + " with replacement within itself, privileged group fixed, " + options.confidence() * 100
                + " % intervals (type-7 quantiles), seed " + options.seed();
        return new FairnessReport(outcomes.favourable(), outcomes.predictionRule(), outcomes.rows(),
                options.minGroupSize(), options.resamples(), options.confidence(), method, reports);
    }

    /** The attributes followed by the intersection of every pair of them, in order (a×b, a×c, b×c, …). */
    public static List<ProtectedAttribute> withPairwiseIntersections(List<ProtectedAttribute> attributes) {
        List<ProtectedAttribute> all = new ArrayList<>(attributes);
        for (int i = 0; i < attributes.size(); i++) {
            for (int j = i + 1; j < attributes.size(); j++) {
                all.add(ProtectedAttribute.cross(attributes.get(i), attributes.get(j)));
            }
        }
        return List.copyOf(all);
    }

    private static AttributeReport attribute(Outcomes o, ProtectedAttribute a, FairnessOptions opt,
                                             SplittableRandom random) {
        int groups = a.groups().size();
        int[][] rows = new int[groups][];
        int[] sizes = new int[groups];
        for (int i = 0; i < a.rows(); i++) sizes[a.code(i)]++;
        for (int g = 0; g < groups; g++) rows[g] = new int[sizes[g]];
        int[] fill = new int[groups];
        for (int i = 0; i < a.rows(); i++) rows[a.code(i)][fill[a.code(i)]++] = i;

        int bins = opt.calibrationBins();
        boolean[] judged = new boolean[groups];
        GroupStats[] full = new GroupStats[groups];
        for (int g = 0; g < groups; g++) {
            judged[g] = sizes[g] >= opt.minGroupSize();
            full[g] = GroupStats.of(o, rows[g], sizes[g], bins);
        }
        int judgedCount = 0;
        for (boolean j : judged) judgedCount += j ? 1 : 0;

        int privileged = -1;
        String reason;
        String declared = opt.privileged().get(a.name());
        if (declared != null) {
            privileged = a.groups().indexOf(declared);
            if (privileged < 0) {
                throw new IllegalArgumentException("attribute '" + a.name() + "': the declared privileged group '"
                        + declared + "' is not one of its groups " + a.groups());
            }
            reason = "declared";
            if (!judged[privileged]) {
                reason = "declared, but it has " + sizes[privileged] + " rows, fewer than the minimum group size "
                        + opt.minGroupSize() + ": the signed gaps cannot be judged";
                privileged = -1;
            }
        } else {
            for (int g = 0; g < groups; g++) {
                if (judged[g] && (privileged < 0
                        || full[g].selectionRate() > full[privileged].selectionRate())) {
                    privileged = g;
                }
            }
            reason = privileged < 0 ? "no group has at least " + opt.minGroupSize() + " rows"
                    : "none declared: the judged group with the highest selection rate ("
                    + String.format(java.util.Locale.ROOT, "%.4f", full[privileged].selectionRate()) + ")";
        }
        if (judgedCount < 2) privileged = -1;

        // Bootstrap: per resample, every group's metrics then every gap.
        int nm = GroupMetric.values().length, ng = Gap.values().length;
        int resamples = opt.resamples();
        double[][][] groupDraws = new double[groups][nm][resamples];
        double[][] gapDraws = new double[ng][resamples];
        int[] buffer = new int[a.rows()];
        GroupStats[] drawn = new GroupStats[groups];
        for (int b = 0; b < resamples; b++) {
            SplittableRandom r = random.split();
            for (int g = 0; g < groups; g++) {
                if (!judged[g]) continue;
                int[] src = rows[g];
                for (int k = 0; k < src.length; k++) buffer[k] = src[r.nextInt(src.length)];
                drawn[g] = GroupStats.of(o, buffer, src.length, bins);
                for (GroupMetric m : GroupMetric.values()) {
                    groupDraws[g][m.ordinal()][b] = drawn[g].metric(m, o.hasScores());
                }
            }
            double[] gaps = gaps(drawn, judged, privileged, bins);
            for (int k = 0; k < ng; k++) gapDraws[k][b] = gaps[k];
        }

        List<GroupReport> groupReports = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            String name = a.groups().get(g);
            if (!judged[g]) {
                String note = "too few to judge: " + sizes[g] + " rows, fewer than the minimum group size "
                        + opt.minGroupSize();
                Map<GroupMetric, Estimate> none = new EnumMap<>(GroupMetric.class);
                for (GroupMetric m : GroupMetric.values()) {
                    none.put(m, new Estimate(Double.NaN, new Interval(Double.NaN, Double.NaN, 0), note));
                }
                groupReports.add(new GroupReport(name, sizes[g], false, note, none, List.of()));
                continue;
            }
            Map<GroupMetric, Estimate> metrics = new EnumMap<>(GroupMetric.class);
            for (GroupMetric m : GroupMetric.values()) {
                double v = full[g].metric(m, o.hasScores());
                metrics.put(m, new Estimate(v, interval(groupDraws[g][m.ordinal()], opt.confidence()),
                        Double.isNaN(v) ? groupNote(m, name, o.hasScores()) : ""));
            }
            groupReports.add(new GroupReport(name, sizes[g], true, "", metrics,
                    o.hasScores() ? reliability(full[g]) : List.of()));
        }

        double[] gapValues = gaps(full, judged, privileged, bins);
        Map<Gap, Estimate> gapReports = new EnumMap<>(Gap.class);
        for (Gap gap : Gap.values()) {
            double v = gapValues[gap.ordinal()];
            gapReports.put(gap, new Estimate(v, interval(gapDraws[gap.ordinal()], opt.confidence()),
                    Double.isNaN(v) ? gapNote(gap, judgedCount, privileged, reason, opt.minGroupSize()) : ""));
        }
        return new AttributeReport(a.name(), groupReports, privileged < 0 ? "" : a.groups().get(privileged),
                reason, gapReports);
    }

    /** Every gap, in {@link Gap} order, from the stats of the judged groups. */
    static double[] gaps(GroupStats[] stats, boolean[] judged, int privileged, int bins) {
        double[] out = new double[Gap.values().length];
        Arrays.fill(out, Double.NaN);
        double minSr = Double.POSITIVE_INFINITY, maxSr = Double.NEGATIVE_INFINITY;
        double minTpr = Double.POSITIVE_INFINITY, maxTpr = Double.NEGATIVE_INFINITY;
        double minFpr = Double.POSITIVE_INFINITY, maxFpr = Double.NEGATIVE_INFINITY;
        int count = 0;
        boolean oddsDefined = true;
        GroupStats unpriv = new GroupStats(bins);
        for (int g = 0; g < stats.length; g++) {
            if (!judged[g]) continue;
            count++;
            GroupStats s = stats[g];
            minSr = Math.min(minSr, s.selectionRate());
            maxSr = Math.max(maxSr, s.selectionRate());
            double tpr = s.tpr(), fpr = s.fpr();
            if (Double.isNaN(tpr) || Double.isNaN(fpr)) {
                oddsDefined = false;
            } else {
                minTpr = Math.min(minTpr, tpr);
                maxTpr = Math.max(maxTpr, tpr);
                minFpr = Math.min(minFpr, fpr);
                maxFpr = Math.max(maxFpr, fpr);
            }
            if (g != privileged) unpriv.add(s);
        }
        if (count < 2) return out;
        out[Gap.DEMOGRAPHIC_PARITY_DIFFERENCE.ordinal()] = maxSr - minSr;
        out[Gap.DEMOGRAPHIC_PARITY_RATIO.ordinal()] = maxSr == 0 ? Double.NaN : minSr / maxSr;
        if (oddsDefined) out[Gap.EQUALIZED_ODDS_DIFFERENCE.ordinal()] = Math.max(maxTpr - minTpr, maxFpr - minFpr);
        if (privileged >= 0) {
            GroupStats priv = stats[privileged];
            double srU = unpriv.selectionRate(), srP = priv.selectionRate();
            out[Gap.STATISTICAL_PARITY_DIFFERENCE.ordinal()] = srU - srP;
            out[Gap.DISPARATE_IMPACT.ordinal()] = srP == 0 ? Double.NaN : srU / srP;
            // NaN propagates when either side's TPR or FPR is 0/0.
            out[Gap.EQUAL_OPPORTUNITY_DIFFERENCE.ordinal()] = unpriv.tpr() - priv.tpr();
            out[Gap.AVERAGE_ODDS_DIFFERENCE.ordinal()] =
                    ((unpriv.fpr() - priv.fpr()) + (unpriv.tpr() - priv.tpr())) / 2;
        }
        return out;
    }

    private static List<ReliabilityBin> reliability(GroupStats s) {
        int bins = s.binRows.length;
        List<ReliabilityBin> out = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            long n = s.binRows[b];
            out.add(new ReliabilityBin((double) b / bins, (double) (b + 1) / bins, (int) n,
                    n == 0 ? Double.NaN : s.binScore[b] / n, n == 0 ? Double.NaN : (double) s.binFav[b] / n));
        }
        return out;
    }

    private static String groupNote(GroupMetric m, String group, boolean scores) {
        return switch (m) {
            case BASE_RATE, SELECTION_RATE -> "group '" + group + "' is empty";
            case TRUE_POSITIVE_RATE -> "group '" + group + "' has no rows whose true outcome is favourable: TPR is 0/0";
            case FALSE_POSITIVE_RATE -> "group '" + group + "' has no rows whose true outcome is unfavourable: FPR is"
                    + " 0/0";
            case PRECISION -> "group '" + group + "' has no rows predicted favourable: precision is 0/0";
            case EXPECTED_CALIBRATION_ERROR -> scores ? "group '" + group + "' is empty"
                    : "no scores were given (predictions are labels only): calibration cannot be measured";
        };
    }

    private static String gapNote(Gap gap, int judged, int privileged, String reason, int minSize) {
        if (judged < 2) {
            return "fewer than two groups have at least " + minSize + " rows: no gap can be judged";
        }
        boolean signed = gap == Gap.STATISTICAL_PARITY_DIFFERENCE || gap == Gap.DISPARATE_IMPACT
                || gap == Gap.EQUAL_OPPORTUNITY_DIFFERENCE || gap == Gap.AVERAGE_ODDS_DIFFERENCE;
        if (signed && privileged < 0) return "no privileged group to compare with: " + reason;
        return switch (gap) {
            case DEMOGRAPHIC_PARITY_RATIO -> "no judged group is ever predicted favourable: the ratio is 0/0";
            case DISPARATE_IMPACT -> "the privileged group is never predicted favourable: the ratio divides by 0";
            case EQUALIZED_ODDS_DIFFERENCE -> "a judged group has no favourable or no unfavourable true outcomes, so"
                    + " its TPR or FPR is 0/0";
            default -> "the unprivileged or the privileged rows have no favourable (TPR) or no unfavourable (FPR)"
                    + " true outcomes: the rate is 0/0";
        };
    }

    private static Interval interval(double[] draws, double confidence) {
        double[] v = Arrays.stream(draws).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) return new Interval(Double.NaN, Double.NaN, 0);
        double lowQ = (1 - confidence) / 2;
        return new Interval(quantile(v, lowQ), quantile(v, 1 - lowQ), v.length);
    }

    /** Hyndman &amp; Fan type 7, as {@code ClassificationMetrics.quantile}. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

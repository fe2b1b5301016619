package dev.candor.explain.reasons;

import dev.candor.explain.shap.ShapValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reason codes for an adverse decision (the "principal reasons" of an adverse-action notice, e.g. under the US Equal
 * Credit Opportunity Act / Regulation B): from a row's Shapley values, the features that pushed the score toward the
 * adverse outcome, strongest first, each with a statement a person can read. Only features that pushed toward the
 * adverse outcome are listed; a feature that helped the applicant is never given as a reason.
 */
public final class ReasonCodes {
    private ReasonCodes() {
    }

    /**
     * One reason.
     *
     * @param rank         1 for the strongest
     * @param feature      the player (feature) name
     * @param contribution how far it moved the adverse output's score toward the adverse outcome (&gt; 0)
     * @param statement    the human-readable reason
     */
    public record Reason(int rank, String feature, double contribution, String statement) {
    }

    /**
     * The top {@code k} reasons.
     *
     * @param values      the explanation of the decided row
     * @param output      the output the decision was made on
     * @param adverseHigh true when a higher value of that output is adverse (e.g. a "default" probability), false
     *                    when a lower value is (e.g. an "approve" probability or a credit score)
     * @param k           at most this many reasons (&gt;= 1)
     * @param statements  a statement per feature name, such as {@code "Debt-to-income ratio is too high"}; a feature
     *                    without one gets a generic statement naming it and its effect
     */
    public static List<Reason> top(ShapValues values, String output, boolean adverseHigh, int k,
                                   Map<String, String> statements) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        int o = values.classNames().indexOf(output);
        if (o < 0) {
            throw new IllegalArgumentException("output '" + output + "' is not explained; the explanation has "
                    + values.classNames());
        }
        double[] v = values.values(o);
        List<Reason> candidates = new ArrayList<>();
        for (int p = 0; p < v.length; p++) {
            double toward = adverseHigh ? v[p] : -v[p];
            if (toward > 0) candidates.add(new Reason(0, values.playerNames().get(p), toward, ""));
        }
        candidates.sort(Comparator.comparingDouble(Reason::contribution).reversed()
                .thenComparing(Reason::feature));
        List<Reason> out = new ArrayList<>();
        String unit = values.outputSpace() == ShapValues.OutputSpace.PROBABILITY ? " (probability)" : " ("
                + values.outputSpace().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
        for (int i = 0; i < Math.min(k, candidates.size()); i++) {
            Reason c = candidates.get(i);
            String statement = statements.getOrDefault(c.feature(), String.format(java.util.Locale.ROOT,
                    "%s moved '%s' %s by %.4f%s", c.feature(), output, adverseHigh ? "up" : "down",
                    c.contribution(), unit));
            out.add(new Reason(i + 1, c.feature(), c.contribution(), statement));
        }
        return List.copyOf(out);
    }
}

package dev.candor.explain.privacy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Membership-inference audits of a trained model: how well can an attacker tell the rows it was trained on
 * (members) from held-out rows (non-members), given only the model's outputs? Pure functions, no randomness, no
 * logging.
 *
 * <ul>
 *   <li>Loss-threshold attack (Yeom, Giacomelli, Fredrikson, Jha 2018, "Privacy Risk in Machine Learning:
 *       Analyzing the Connection to Overfitting", CSF): guess "member" when the row's cross-entropy loss
 *       ℓ = −ln p(true class) is at most τ. Needs the true labels.</li>
 *   <li>Confidence-threshold attack (Salem et al. 2019, "ML-Leaks", the threshold variant): guess "member" when the
 *       model's top predicted probability is at least τ. Needs no labels.</li>
 * </ul>
 * For both, every distinct observed score is tried as a threshold (plus "nobody is a member"). TPR = guessed
 * members among members / members, FPR = guessed members among non-members / non-members. The reported numbers
 * do not depend on the ratio of members to non-members, so the sets need not be balanced.
 */
public final class MembershipInference {

    /** The FPR budget of {@link AttackResult#tprAtLowFpr()}: 1 %, as in Carlini et al. 2022 ("from first principles"). */
    public static final double FPR_BUDGET = 0.01;

    /** Probabilities are clipped here before taking logarithms, as log loss is usually computed. */
    static final double MIN_PROBABILITY = 1e-15;

    private MembershipInference() {
    }

    /**
     * The loss-threshold attack.
     *
     * @param memberTrueClassProbability    per training row, the model's probability of the row's true class
     * @param nonMemberTrueClassProbability per held-out row, the same
     */
    public static AttackResult lossAttack(double[] memberTrueClassProbability,
                                          double[] nonMemberTrueClassProbability) {
        double[] m = negativeLoss(memberTrueClassProbability, "member");
        double[] n = negativeLoss(nonMemberTrueClassProbability, "non-member");
        Sweep s = sweep(m, n);
        return result("loss_threshold", "member if loss = −ln(max(p(true class), 1e-15)) <= τ (Yeom et al. 2018);"
                + " the threshold is τ in loss units", m.length, n.length, s, -s.bestThreshold);
    }

    /**
     * The confidence-threshold attack.
     *
     * @param memberConfidence    per training row, the model's highest class probability
     * @param nonMemberConfidence per held-out row, the same
     */
    public static AttackResult confidenceAttack(double[] memberConfidence, double[] nonMemberConfidence) {
        check(memberConfidence, "member");
        check(nonMemberConfidence, "non-member");
        Sweep s = sweep(memberConfidence, nonMemberConfidence);
        return result("confidence_threshold", "member if max class probability >= τ (threshold attack of Salem et"
                + " al. 2019); the threshold is τ as a probability", memberConfidence.length,
                nonMemberConfidence.length, s, s.bestThreshold);
    }

    private static AttackResult result(String name, String definition, int members, int nonMembers, Sweep s,
                                       double threshold) {
        List<String> notes = new ArrayList<>();
        if (nonMembers < 1 / FPR_BUDGET) {
            notes.add(nonMembers + " non-members cannot resolve an FPR of " + FPR_BUDGET * 100 + " %: the smallest"
                    + " non-zero FPR is 1/" + nonMembers + ", so TPR at low FPR is read at FPR = 0");
        }
        return new AttackResult(name, definition + ". AUC: P(member scores above non-member), ties 1/2; advantage:"
                + " max over thresholds |TPR − FPR|; TPR at FPR <= 1 %: the best TPR among thresholds within the"
                + " budget, not interpolated", members, nonMembers, s.auc, s.advantage, threshold, s.tprAtBudget,
                FPR_BUDGET, notes);
    }

    private record Sweep(double auc, double advantage, double bestThreshold, double tprAtBudget) {
    }

    /** Scores where higher means "more likely a member"; the attack guesses member when score >= t. */
    static Sweep sweep(double[] member, double[] nonMember) {
        double[] m = member.clone();
        double[] n = nonMember.clone();
        Arrays.sort(m);
        Arrays.sort(n);
        int mi = m.length - 1, ni = n.length - 1;
        long tp = 0, fp = 0;
        double aucSum = 0; // Σ over members of (#non-members below + ½ #tied)
        double advantage = 0, best = Double.POSITIVE_INFINITY, tprAtBudget = 0;
        // Walk thresholds from the highest score down; each step admits every row tied at that score.
        while (mi >= 0 || ni >= 0) {
            double t = Math.max(mi >= 0 ? m[mi] : Double.NEGATIVE_INFINITY, ni >= 0 ? n[ni] : Double.NEGATIVE_INFINITY);
            long dm = 0, dn = 0;
            while (mi >= 0 && m[mi] == t) {
                mi--;
                dm++;
            }
            while (ni >= 0 && n[ni] == t) {
                ni--;
                dn++;
            }
            // Members at t beat the non-members strictly below t (ni + 1 of them) and tie with the dn at t.
            aucSum += dm * ((ni + 1) + dn / 2.0);
            tp += dm;
            fp += dn;
            double tpr = (double) tp / m.length, fpr = (double) fp / n.length;
            if (Math.abs(tpr - fpr) > advantage) {
                advantage = Math.abs(tpr - fpr);
                best = t;
            }
            if (fpr <= FPR_BUDGET) tprAtBudget = Math.max(tprAtBudget, tpr);
        }
        double auc = aucSum / ((double) m.length * n.length);
        return new Sweep(auc, advantage, best, tprAtBudget);
    }

    private static double[] negativeLoss(double[] p, String which) {
        check(p, which);
        double[] s = new double[p.length];
        for (int i = 0; i < p.length; i++) s[i] = Math.log(Math.max(p[i], MIN_PROBABILITY));
        return s;
    }

    private static void check(double[] p, String which) {
        if (p.length == 0) {
            throw new IllegalArgumentException("no " + which + " rows to attack; the audit needs both training and"
                    + " held-out rows");
        }
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException(which + " row " + i + ": probability " + p[i]
                        + " is not in [0, 1]");
            }
        }
    }
}

package dev.candor.explain.privacy;

import java.util.List;

/**
 * The outcome of one membership-inference attack.
 *
 * @param attack             the attack's name ({@code loss_threshold} or {@code confidence_threshold})
 * @param definition         the attack's decision rule and the definitions of the numbers below
 * @param members            the training rows attacked
 * @param nonMembers         the held-out rows attacked
 * @param auc                the attack's ROC AUC: P(score of a member &gt; score of a non-member), ties one half;
 *                           0.5 is no better than a coin
 * @param advantage          the membership advantage (Yeom et al. 2018): max over thresholds of |TPR − FPR|
 * @param advantageThreshold the threshold, in the attack's own units (see definition), where the advantage is
 *                           reached; infinite ("nobody is a member") when no threshold does better than
 *                           guessing (advantage 0)
 * @param tprAtLowFpr        the highest TPR among thresholds whose FPR is at most {@code fprBudget} (no
 *                           interpolation between thresholds)
 * @param fprBudget          the FPR budget of {@code tprAtLowFpr}, 0.01
 * @param notes              caveats, e.g. too few non-members to resolve a 1 % FPR
 */
public record AttackResult(String attack, String definition, int members, int nonMembers, double auc,
                           double advantage, double advantageThreshold, double tprAtLowFpr, double fprBudget,
                           List<String> notes) {

    public AttackResult {
        notes = List.copyOf(notes);
    }
}

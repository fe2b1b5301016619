package dev.candor.explain.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MembershipInferenceTest {
    private static final double TOL = 1e-12;

    @Test
    void aSmallCaseWorkedByHand() {
        // members p(true class) {0.9, 0.8, 0.6}; non-members {0.7, 0.6, 0.5, 0.4}. Lower loss = higher p.
        // AUC = (4 + 4 + 2 + ½·1) / (3·4) = 10.5 / 12 (the tie at 0.6 counts one half)
        // sweep p >= t: t=0.9 TPR 1/3 FPR 0; t=0.8 TPR 2/3 FPR 0 (|diff| 2/3, the maximum); t=0.7 2/3, 1/4;
        //   t=0.6 1, 1/2; t=0.5 1, 3/4; t=0.4 1, 1. Advantage 2/3 at loss τ = −ln 0.8; TPR at FPR <= 1 %: 2/3.
        AttackResult r = MembershipInference.lossAttack(new double[] {0.9, 0.8, 0.6},
                new double[] {0.7, 0.6, 0.5, 0.4});
        assertThat(r.auc()).isCloseTo(10.5 / 12, within(TOL));
        assertThat(r.advantage()).isCloseTo(2.0 / 3, within(TOL));
        assertThat(r.advantageThreshold()).isCloseTo(-Math.log(0.8), within(TOL));
        assertThat(r.tprAtLowFpr()).isCloseTo(2.0 / 3, within(TOL));
        assertThat(r.members()).isEqualTo(3);
        assertThat(r.nonMembers()).isEqualTo(4);
        assertThat(r.notes()).singleElement().asString().contains("cannot resolve an FPR of 1.0 %");
        assertThat(r.definition()).contains("Yeom");
    }

    @Test
    void perfectlySeparableRowsGiveAucOneAndFullAdvantage() {
        double[] members = {0.99, 0.97, 0.95, 0.9};
        double[] non = {0.6, 0.5, 0.3};
        for (AttackResult r : new AttackResult[] {MembershipInference.lossAttack(members, non),
                MembershipInference.confidenceAttack(members, non)}) {
            assertThat(r.auc()).isEqualTo(1.0);
            assertThat(r.advantage()).isEqualTo(1.0);
            assertThat(r.tprAtLowFpr()).isEqualTo(1.0);
        }
        // Reversed (the model is more confident on held-out rows): AUC 0, and the advantage, an absolute value,
        // is still 1 (at the threshold that admits the non-members only).
        AttackResult reversed = MembershipInference.confidenceAttack(non, members);
        assertThat(reversed.auc()).isEqualTo(0.0);
        assertThat(reversed.advantage()).isEqualTo(1.0);
        assertThat(reversed.tprAtLowFpr()).isEqualTo(0.0);
    }

    @Test
    void identicalDistributionsGiveAucNearOneHalfAndLittleAdvantage() {
        // 5000 members and 5000 non-members from the same Beta-like distribution, fixed seed. The AUC's standard
        // error under the null is sqrt((m + n + 1) / (12 m n)) ≈ 0.0041, so 0.5 ± 0.02 is about 5 standard errors;
        // the advantage is the two-sample Kolmogorov–Smirnov statistic, ≈ 0.027 at the 95 % null quantile.
        SplittableRandom r = new SplittableRandom(2018);
        double[] a = new double[5000], b = new double[5000];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sqrt(r.nextDouble());
            b[i] = Math.sqrt(r.nextDouble());
        }
        AttackResult res = MembershipInference.lossAttack(a, b);
        assertThat(res.auc()).isCloseTo(0.5, within(0.02));
        assertThat(res.advantage()).isLessThan(0.05);
        assertThat(res.tprAtLowFpr()).isLessThan(0.05);
        assertThat(res.notes()).isEmpty();
    }

    @Test
    void lossAndConfidenceAttacksDifferWhenTheModelIsConfidentlyWrongOnMembers() {
        // Row confidence (top probability) and true-class probability differ when the prediction is wrong.
        double[] memberTrue = {0.9, 0.1};
        double[] memberTop = {0.9, 0.9};
        double[] nonTrue = {0.5, 0.5};
        double[] nonTop = {0.5, 0.5};
        assertThat(MembershipInference.lossAttack(memberTrue, nonTrue).auc()).isCloseTo(0.5, within(TOL));
        assertThat(MembershipInference.confidenceAttack(memberTop, nonTop).auc()).isEqualTo(1.0);
    }

    @Test
    void zeroProbabilitiesAreClippedAndInvalidInputsNamed() {
        AttackResult r = MembershipInference.lossAttack(new double[] {1.0, 0.0}, new double[] {0.0});
        // member 1.0 beats the non-member; member 0.0 ties it after clipping: (1 + ½) / 2
        assertThat(r.auc()).isCloseTo(0.75, within(TOL));
        assertThatThrownBy(() -> MembershipInference.lossAttack(new double[] {1.2}, new double[] {0.5}))
                .hasMessageContaining("member row 0: probability 1.2 is not in [0, 1]");
        assertThatThrownBy(() -> MembershipInference.confidenceAttack(new double[] {0.5}, new double[0]))
                .hasMessageContaining("no non-member rows");
    }
}

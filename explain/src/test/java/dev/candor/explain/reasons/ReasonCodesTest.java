package dev.candor.explain.reasons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.explain.shap.ShapValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReasonCodesTest {
    private static final ShapValues DECLINED = new ShapValues(List.of("approve"),
            List.of("income", "debt_ratio", "delinquencies", "age_of_file", "inquiries"),
            new double[][] {{0.05, -0.20, -0.12, -0.03, -0.12}}, new double[] {0.6}, new double[] {0.18},
            ShapValues.Method.KERNEL_EXACT, ShapValues.OutputSpace.PROBABILITY, 100);

    @Test
    void theStrongestAdverseFeaturesComeFirstAndHelpfulOnesNever() {
        List<ReasonCodes.Reason> reasons = ReasonCodes.top(DECLINED, "approve", false, 4,
                Map.of("debt_ratio", "Debt-to-income ratio is too high",
                        "delinquencies", "Number of delinquent accounts"));
        assertThat(reasons).extracting(ReasonCodes.Reason::feature)
                .containsExactly("debt_ratio", "delinquencies", "inquiries", "age_of_file");
        assertThat(reasons).extracting(ReasonCodes.Reason::rank).containsExactly(1, 2, 3, 4);
        assertThat(reasons.get(0).statement()).isEqualTo("Debt-to-income ratio is too high");
        assertThat(reasons.get(0).contribution()).isEqualTo(0.20);
        assertThat(reasons.get(2).statement()).isEqualTo("inquiries moved 'approve' down by 0.1200 (probability)");
        // income helped the applicant: never a reason, even when k asks for more
        assertThat(ReasonCodes.top(DECLINED, "approve", false, 10, Map.of())).hasSize(4);
        // read as a "decline" score, the signs flip
        assertThat(ReasonCodes.top(DECLINED, "approve", true, 1, Map.of()).get(0).feature()).isEqualTo("income");
    }

    @Test
    void anUnknownOutputIsRefused() {
        assertThatThrownBy(() -> ReasonCodes.top(DECLINED, "deny", false, 3, Map.of()))
                .hasMessageContaining("output 'deny' is not explained; the explanation has [approve]");
    }
}

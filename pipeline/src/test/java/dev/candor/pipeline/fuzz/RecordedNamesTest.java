package dev.candor.pipeline.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.explain.fairness.Gap;
import dev.candor.registry.RegistryLimits;
import dev.candor.stages.data.RecordedNames;
import dev.candor.stages.fairness.ProtectedGroups;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The names ingestion lets through ({@link RecordedNames}) fit the registry's columns in the longest metric names and
 * slices the stages make of them (the stages module cannot see {@link RegistryLimits}; this test joins the two).
 */
class RecordedNamesTest {
    private static String of(int n) {
        return "x".repeat(n);
    }

    @Test
    void theLongestNamesIngestionAcceptsFitTheRegistrysMetricNamesAndSlices() {
        String column = of(RecordedNames.COLUMN);
        String klass = of(RecordedNames.CLASS);
        String p = of(RecordedNames.PROTECTED);
        String intersection = ProtectedGroups.intersectionName(p, p);
        int longestGap = Arrays.stream(Gap.values()).mapToInt(g -> g.key().length()).max().orElseThrow();

        assertThat(("class=" + klass).length()).isLessThanOrEqualTo(RegistryLimits.METRIC_SLICE);
        assertThat(("feature=" + column + ",class=" + klass).length()).isLessThanOrEqualTo(RegistryLimits.METRIC_SLICE);
        assertThat((intersection + "=" + p + "=" + p + "," + p + "=" + p).length())
                .as("an intersection's group").isLessThanOrEqualTo(RegistryLimits.METRIC_SLICE);
        assertThat(("fairness." + intersection + "." + of(longestGap) + "_ci_high").length())
                .as("an intersection's gap").isLessThanOrEqualTo(RegistryLimits.METRIC_NAME);
    }
}

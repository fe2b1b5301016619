package dev.candor.stages.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.FindingSink;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.LocalStageContext.Finding;
import dev.candor.stages.spi.LocalStageContext.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-checkable cases: 40 women of whom 20 are predicted "good", 40 men of whom 32 are, and 5 rows of a third
 * group "x" (too few to judge at min_group 30). Then SR(f) = 0.5, SR(m) = 0.8, disparate impact 0.5 / 0.8 = 0.625
 * and statistical parity difference −0.3, whether "m" is declared privileged or chosen as the highest rate.
 */
class GroupFairnessStepTest {
    static final List<String> CLASSES = List.of("bad", "good");
    static final DatasetSchema SCHEMA = new DatasetSchema("t.csv", "abc", List.of(
            new ColumnSchema("x", ColumnType.NUMERIC, ColumnRole.FEATURE, false, List.of()),
            new ColumnSchema("sex", ColumnType.CATEGORICAL, ColumnRole.PROTECTED, false, List.of("f", "m", "x")),
            new ColumnSchema("age", ColumnType.NUMERIC, ColumnRole.PROTECTED, false, List.of()),
            new ColumnSchema("class", ColumnType.CATEGORICAL, ColumnRole.LABEL, false, CLASSES)), "class", CLASSES);

    @TempDir Path dir;
    final List<DatasetRow> rows = new ArrayList<>();
    int[] actual;
    double[][] probabilities;

    GroupFairnessStepTest() {
        List<int[]> spec = new ArrayList<>();   // {sex, predictedGood, actualGood, age}
        for (int i = 0; i < 40; i++) spec.add(new int[] {0, i < 20 ? 1 : 0, i % 2, i < 30 ? 20 : 40});
        for (int i = 0; i < 40; i++) spec.add(new int[] {1, i < 32 ? 1 : 0, i % 2, 40});
        for (int i = 0; i < 5; i++) spec.add(new int[] {2, 1, 1, 70});
        actual = new int[spec.size()];
        probabilities = new double[spec.size()][];
        for (int i = 0; i < spec.size(); i++) {
            int[] s = spec.get(i);
            rows.add(new DatasetRow(i + 2, new Object[] {1.0, List.of("f", "m", "x").get(s[0]), (double) s[3],
                    CLASSES.get(s[2])}));
            actual[i] = s[2];
            probabilities[i] = s[1] == 1 ? new double[] {0.2, 0.8} : new double[] {0.7, 0.3};
        }
    }

    private FairnessConfig config(Map<String, String> privileged, List<List<String>> intersections) {
        return new FairnessConfig(Map.of("age", List.of(0.0, 30.0, 60.0, 100.0)), privileged, intersections, 30,
                200, "good");
    }

    private GroupFairnessStep.Measured measure(FairnessConfig config) {
        return GroupFairnessStep.measure(config, SCHEMA, rows, actual, probabilities, CLASSES, "bad", 1000, 0.95, 11,
                "the test split");
    }

    @Test
    void gapsAndGroupMetricsAreRecordedUnderTheAgreedNames() {
        LocalStageContext ctx = new LocalStageContext("eval", 1, List.of(), dir.resolve("out"), "cpu");
        GroupFairnessStep.Measured m = measure(config(Map.of("sex", "m"), List.of()));
        GroupFairnessStep.record(m.report(), "test", ctx.metrics(), ctx.findings());
        List<Metric> metrics = ctx.recordedMetrics();

        assertThat(value(metrics, "fairness.sex.disparate_impact", null)).isCloseTo(0.625, within(1e-12));
        assertThat(value(metrics, "fairness.sex.statistical_parity_difference", null)).isCloseTo(-0.3, within(1e-12));
        assertThat(value(metrics, "fairness.sex.demographic_parity_difference", null)).isCloseTo(0.3, within(1e-12));
        assertThat(value(metrics, "fairness.sex.disparate_impact_ci_low", null)).isLessThan(0.625);
        assertThat(value(metrics, "fairness.sex.disparate_impact_ci_high", null)).isGreaterThan(0.625);
        assertThat(value(metrics, "fairness.selection_rate", "sex=f")).isCloseTo(0.5, within(1e-12));
        assertThat(value(metrics, "fairness.selection_rate", "sex=m")).isCloseTo(0.8, within(1e-12));
        assertThat(value(metrics, "fairness.base_rate", "sex=f")).isCloseTo(0.5, within(1e-12));
        assertThat(value(metrics, "fairness.size", "sex=x")).isEqualTo(5);
        // "x" is too few to judge: its size, and no other number.
        assertThat(metrics).noneMatch(x -> "sex=x".equals(x.slice()) && !x.name().equals("fairness.size"));
        assertThat(metrics).allMatch(x -> x.split().equals("test"));
        assertThat(metrics).filteredOn(x -> x.slice() == null)
                .allMatch(x -> x.name().matches("fairness\\.(sex|age)\\.[a-z_]+"));

        assertThat(ctx.reportedFindings()).filteredOn(f -> f.severity() == FindingSink.Severity.WARNING)
                .extracting(Finding::code, Finding::subject)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fairness.group_too_small", "sex=x"),
                        org.assertj.core.groups.Tuple.tuple("fairness.group_too_small", "age=[60..100]"));
        assertThat(ctx.reportedFindings()).anyMatch(f -> f.code().equals("fairness.privileged_group")
                && f.message().contains("'m' (declared)"));
    }

    @Test
    void withoutADeclaredPrivilegedGroupTheHighestSelectionRateIsTakenAndTheReportSaysSo() {
        GroupFairnessStep.Measured m = measure(config(Map.of(), List.of(List.of("sex", "age"))));
        var sex = m.report().attribute("sex");
        assertThat(sex.privileged()).isEqualTo("m");
        assertThat(sex.privilegedReason()).contains("highest selection rate");

        ObjectNode json = GroupFairnessStep.toJson(m);
        JsonNode attr = json.get("attributes").get(0);
        assertThat(attr.get("privileged").asText()).isEqualTo("m");
        assertThat(attr.get("gaps").get("disparate_impact").get("value").asDouble()).isCloseTo(0.625, within(1e-12));
        assertThat(attr.get("gaps").get("disparate_impact").get("definition").asText()).contains("four-fifths");
        assertThat(json.get("definitions").get("selection_rate").asText()).contains("P(Ŷ = favourable");
        assertThat(json.get("favourable").asText()).isEqualTo("good");
        assertThat(attr.get("groups").get(0).get("reliability")).hasSize(10);
        assertThat(attr.get("groups").get(2).get("judged").asBoolean()).isFalse();

        // The intersection: attribute sex_x_age, groups named sex=<g>,age=<bin>, usable as slices as they are.
        var cross = m.report().attribute("sex_x_age");
        assertThat(cross.groups().get(1).group()).isEqualTo("sex=f,age=[30..60)");
        assertThat(cross.group("sex=f,age=[0..30)").size()).isEqualTo(30);
        assertThat(cross.group("sex=m,age=[30..60)").size()).isEqualTo(40);
        LocalStageContext ctx = new LocalStageContext("eval", 1, List.of(), dir.resolve("out2"), "cpu");
        GroupFairnessStep.record(m.report(), "test", ctx.metrics(), ctx.findings());
        assertThat(value(ctx.recordedMetrics(), "fairness.selection_rate", "sex=m,age=[30..60)"))
                .isCloseTo(0.8, within(1e-12));
        assertThat(ctx.recordedMetrics()).anyMatch(x -> x.name().equals("fairness.sex_x_age.disparate_impact"));
    }

    @Test
    void aNumericProtectedAttributeWithoutBinsIsAConfigErrorSuggestingBins() {
        FairnessConfig noBins = new FairnessConfig(null, null, null, null, null, "good");
        assertThatThrownBy(() -> measure(noBins)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'age' is numeric").hasMessageContaining("run from 20 to 70")
                .hasMessageContaining("bins: {age: [");
        FairnessConfig narrow = new FairnessConfig(Map.of("age", List.of(0.0, 50.0)), null, null, null, null, "good");
        assertThatThrownBy(() -> measure(narrow)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("outside its bins");
        FairnessConfig unknown = new FairnessConfig(Map.of("age", List.of(0.0, 100.0)), null,
                List.of(List.of("sex", "zip")), null, null, "good");
        assertThatThrownBy(() -> measure(unknown)).hasMessageContaining("'zip', which is not a protected attribute");
        FairnessConfig badFav = new FairnessConfig(Map.of("age", List.of(0.0, 100.0)), null, null, null, null, "ok");
        assertThatThrownBy(() -> measure(badFav)).hasMessageContaining("'ok' is not a class");
        assertThatThrownBy(() -> new FairnessConfig(Map.of("age", List.of(30.0, 10.0)), null, null, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("strictly increasing");
    }

    @Test
    void theResultNamesCoverEveryGapWithItsInterval() {
        assertThat(FairnessResults.NAMES).contains("fairness.*.disparate_impact",
                "fairness.*.disparate_impact_ci_low", "fairness.*.equalized_odds_difference_ci_high").hasSize(21);
    }

    static double value(List<Metric> metrics, String name, String slice) {
        return metrics.stream().filter(m -> m.name().equals(name) && java.util.Objects.equals(m.slice(), slice))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " [" + slice + "]")).value();
    }
}

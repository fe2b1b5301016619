package dev.candor.stages.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.Split;
import dev.candor.stages.fairness.ExampleArtifacts;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.LocalStageContext.Metric;
import dev.candor.stages.spi.StageCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** audit.membership on the breast-cancer example data with the real ingest and train stages. */
class MembershipStageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static InputArtifact data;
    static InputArtifact lr;

    @BeforeAll
    static void artifacts() throws Exception {
        data = ExampleArtifacts.cancerData(dir.resolve("data"));
        lr = ExampleArtifacts.lr(data, 42, dir.resolve("lr"));
    }

    @Test
    void attacksABalancedSeededSampleAndRecordsTheAgreedNames() throws Exception {
        MembershipConfig config = new MembershipConfig(50, null);
        LocalStageContext ctx = ExampleArtifacts.run(new MembershipStage(), config, "privacy", 42,
                List.of(lr, data), dir.resolve("a"));
        List<Metric> m = ctx.recordedMetrics();
        assertThat(m).allMatch(x -> x.split() == null && x.slice() == null);
        assertThat(m).extracting(Metric::name).containsExactlyInAnyOrderElementsOf(
                new MembershipStage().results(config));
        assertThat(value(m, "membership.members")).isEqualTo(50);
        assertThat(value(m, "membership.non_members")).isEqualTo(50);
        double worst = Math.max(value(m, "membership.loss_threshold.advantage"),
                value(m, "membership.confidence_threshold.advantage"));
        assertThat(value(m, "membership_advantage")).isEqualTo(worst).isBetween(0.0, 1.0);
        assertThat(value(m, "membership_auc")).isBetween(0.0, 1.0);
        // A 30-feature logistic regression barely overfits 398 rows: the attack is near a coin toss.
        assertThat(value(m, "membership_auc")).isLessThan(0.7);

        JsonNode json = JSON.readTree(ctx.outputDir().resolve(MembershipStage.FILE).toFile());
        assertThat(json.get("attacks")).hasSize(2);
        assertThat(json.get("attacks").get(0).get("definition").asText()).contains("Yeom");
        assertThat(json.get("sample").get("members").asInt()).isEqualTo(50);
        // 50 non-members cannot resolve a 1 % FPR: the note says so.
        assertThat(ctx.reportedFindings()).anyMatch(f -> f.code().equals("privacy.membership_note"));

        LocalStageContext again = ExampleArtifacts.run(new MembershipStage(), config, "privacy", 42,
                List.of(lr, data), dir.resolve("b"));
        assertThat(Files.readAllBytes(again.outputDir().resolve(MembershipStage.FILE)))
                .isEqualTo(Files.readAllBytes(ctx.outputDir().resolve(MembershipStage.FILE)));
        assertThat(StageCatalog.load().find(MembershipStage.TYPE)).isPresent();
    }

    @Test
    void theSampleIsWithoutReplacementInFileOrderAndSeeded() {
        List<DatasetRow> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) rows.add(new DatasetRow(i, new Object[0]));
        List<DatasetRow> a = MembershipStage.sample(rows, 20, new SplittableRandom(3));
        List<DatasetRow> b = MembershipStage.sample(rows, 20, new SplittableRandom(3));
        assertThat(a).hasSize(20).doesNotHaveDuplicates().isSortedAccordingTo(
                java.util.Comparator.comparingLong(DatasetRow::sourceRow)).isEqualTo(b);
        assertThat(MembershipStage.sample(rows, 50, new SplittableRandom(4))).isEqualTo(rows);
    }

    @Test
    void configurationErrorsNameTheFix() {
        assertThatThrownBy(() -> new MembershipConfig(0, null)).isInstanceOf(ConfigException.class)
                .hasFieldOrPropertyWithValue("key", "rows");
        assertThatThrownBy(() -> new MembershipConfig(null, Split.TRAIN)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("held-out split");
    }

    private static double value(List<Metric> m, String name) {
        return m.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().value();
    }
}

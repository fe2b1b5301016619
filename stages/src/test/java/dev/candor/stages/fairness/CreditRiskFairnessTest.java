package dev.candor.stages.fairness;

import static dev.candor.stages.fairness.GroupFairnessStepTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.evaluate.EvaluateConfig;
import dev.candor.stages.evaluate.EvaluateStage;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.LocalStageContext.Metric;
import dev.candor.stages.spi.StageCatalog;
import dev.candor.stages.train.Algorithm;
import dev.candor.stages.train.TribuoTrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fairness stages on the real credit-risk example data, built by the real ingest and train stages. */
class CreditRiskFairnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final FairnessConfig FAIRNESS = new FairnessConfig(Map.of("age", List.of(0.0, 25.0, 60.0, 200.0)),
            Map.of("sex", "male"), List.of(List.of("sex", "age")), null, 200, "good");

    @TempDir static Path dir;
    static InputArtifact data;
    static InputArtifact lr;

    @BeforeAll
    static void artifacts() throws Exception {
        data = ExampleArtifacts.creditData(dir.resolve("data"));
        lr = ExampleArtifacts.lr(data, 7, dir.resolve("lr"));
    }

    @Test
    void evaluateMeasuresFairnessPerProtectedAttributeAndWritesTheFullReport() throws Exception {
        EvaluateConfig config = new EvaluateConfig(null, "bad", null, 200, null, FAIRNESS);
        LocalStageContext ctx = ExampleArtifacts.run(new EvaluateStage(), config, "eval_lr", 7, List.of(lr, data),
                dir.resolve("eval"));
        List<Metric> m = ctx.recordedMetrics();
        for (String attr : List.of("sex", "age", "sex_x_age")) {
            double di = value(m, "fairness." + attr + ".disparate_impact", null);
            assertThat(di).as(attr).isBetween(0.5, 1.5);
            assertThat(value(m, "fairness." + attr + ".disparate_impact_ci_low", null)).isLessThanOrEqualTo(di);
            assertThat(value(m, "fairness." + attr + ".disparate_impact_ci_high", null)).isGreaterThanOrEqualTo(di);
        }
        // 200 test rows: 8 are 60 or older, too few to judge.
        assertThat(value(m, "fairness.size", "age=[60..200]")).isLessThan(30);
        assertThat(m).noneMatch(x -> "age=[60..200]".equals(x.slice()) && x.name().equals("fairness.selection_rate"));
        assertThat(ctx.reportedFindings()).anyMatch(f -> f.code().equals("fairness.group_too_small")
                && f.subject().equals("age=[60..200]") && f.message().contains("min_group 30"));
        double sizes = m.stream().filter(x -> x.name().equals("fairness.size") && x.slice().startsWith("sex=")
                        && !x.slice().contains(","))
                .mapToDouble(Metric::value).sum();
        assertThat(sizes).isEqualTo(200);

        JsonNode fairness = JSON.readTree(ctx.outputDir().resolve("evaluation.json").toFile()).get("fairness");
        assertThat(fairness.get("favourable").asText()).isEqualTo("good");
        assertThat(fairness.get("attributes")).hasSize(3);
        JsonNode sex = fairness.get("attributes").get(0);
        assertThat(sex.get("privileged").asText()).isEqualTo("male");
        assertThat(sex.get("privileged_reason").asText()).isEqualTo("declared");
        assertThat(sex.get("gaps").get("disparate_impact").get("value").asDouble())
                .isCloseTo(value(m, "fairness.sex.disparate_impact", null), within(1e-15));
        assertThat(fairness.get("attributes").get(1).get("privileged_reason").asText())
                .contains("highest selection rate");
        assertThat(new EvaluateStage().results(config)).containsAll(FairnessResults.NAMES);
    }

    @Test
    void evaluateWithoutBinsForAgeSaysWhichAttributeNeedsThem() {
        EvaluateConfig config = new EvaluateConfig(null, "bad", null, 0, null, null);
        assertThatThrownBy(() -> ExampleArtifacts.run(new EvaluateStage(), config, "eval", 7, List.of(lr, data),
                dir.resolve("eval-nobins"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'age' is numeric").hasMessageContaining("bins");
    }

    @Test
    void reweighingMakesTheWeightedTrainingLabelsIndependentOfSexAndKeepsTheTotalWeight() throws Exception {
        ReweighConfig config = new ReweighConfig("sex", null, "good", null);
        LocalStageContext ctx = ExampleArtifacts.run(new ReweighStage(), config, "reweigh", 7, List.of(data),
                dir.resolve("reweigh"));
        Path out = ctx.outputDir();
        DatasetSchema schema = Datasets.readSchema(out);
        int w = schema.indexOf("weight");
        assertThat(schema.column("weight").role()).isEqualTo(ColumnRole.WEIGHT);
        int sex = schema.indexOf("sex"), label = schema.labelIndex();
        List<DatasetRow> train = Datasets.readSplit(out, Split.TRAIN);
        assertThat(train).hasSize(Datasets.readSplit(data.path(), Split.TRAIN).size());
        double total = 0, wf = 0, wfGood = 0, wm = 0, wmGood = 0;
        for (DatasetRow r : train) {
            double weight = r.number(w);
            total += weight;
            boolean good = r.values()[label].equals("good");
            if (r.category(sex).equals("female")) {
                wf += weight;
                if (good) wfGood += weight;
            } else {
                wm += weight;
                if (good) wmGood += weight;
            }
        }
        assertThat(total).isCloseTo(train.size(), within(1e-9));
        // Weighted statistical parity difference of the training labels: 0.
        assertThat(wfGood / wf - wmGood / wm).isCloseTo(0, within(1e-9));
        for (Split s : List.of(Split.VALIDATION, Split.TEST)) {
            assertThat(Datasets.readSplit(out, s)).allMatch(r -> r.number(w) == 1.0);
        }
        assertThat(value(ctx.recordedMetrics(), "reweigh.total_weight", null)).isCloseTo(train.size(), within(1e-9));

        // Same input, same bytes.
        LocalStageContext again = ExampleArtifacts.run(new ReweighStage(), config, "reweigh", 7, List.of(data),
                dir.resolve("reweigh-again"));
        for (Split s : Split.values()) {
            assertThat(Files.readAllBytes(again.outputDir().resolve(s.fileName())))
                    .isEqualTo(Files.readAllBytes(out.resolve(s.fileName())));
        }

        // A weighted logistic regression is another model; a weighted random forest is refused.
        InputArtifact reweighed = new InputArtifact("reweigh", ArtifactKind.DATASET, out, "sha-reweigh", Map.of());
        InputArtifact fair = ExampleArtifacts.lr(reweighed, 7, dir.resolve("lr_fair"));
        assertThat(Files.readAllBytes(fair.path().resolve("model.onnx")))
                .isNotEqualTo(Files.readAllBytes(lr.path().resolve("model.onnx")));
        LocalStageContext evalFair = ExampleArtifacts.run(new EvaluateStage(), new EvaluateConfig(null, "bad", null,
                0, null, FAIRNESS), "eval_fair", 7, List.of(fair, reweighed), dir.resolve("eval_fair"));
        LocalStageContext evalPlain = ExampleArtifacts.run(new EvaluateStage(), new EvaluateConfig(null, "bad", null,
                0, null, FAIRNESS), "eval_plain", 7, List.of(lr, data), dir.resolve("eval_plain"));
        assertThat(value(evalFair.recordedMetrics(), "log_loss", null))
                .isNotEqualTo(value(evalPlain.recordedMetrics(), "log_loss", null));
        TribuoTrainConfig forest = new TribuoTrainConfig(Algorithm.RANDOM_FOREST, null, null, null, 3, null, 5, null,
                null, null, null, null);
        assertThatThrownBy(() -> ExampleArtifacts.train(reweighed, forest, 7, dir.resolve("forest")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not honour example weights");
    }

    @Test
    void reweighingNamesTheFixForABadAttribute() {
        assertThatThrownBy(() -> ExampleArtifacts.run(new ReweighStage(), new ReweighConfig("age", null, null, null),
                "r", 7, List.of(data), dir.resolve("r1"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("numeric").hasMessageContaining("bins: [");
        assertThatThrownBy(() -> ExampleArtifacts.run(new ReweighStage(), new ReweighConfig("job", null, null, null),
                "r", 7, List.of(data), dir.resolve("r2"))).hasMessageContaining("not a protected attribute");
        assertThat(StageCatalog.load().find(ReweighStage.TYPE)).isPresent();
    }

    @Test
    void groupThresholdsAreFittedOnValidationAndTheirCostMeasuredOnTest() throws Exception {
        ThresholdsConfig config = new ThresholdsConfig("sex", null, "good",
                dev.candor.explain.fairness.GroupThresholds.Criterion.DEMOGRAPHIC_PARITY, 0.05);
        LocalStageContext ctx = ExampleArtifacts.run(new ThresholdsStage(), config, "thresholds", 7,
                List.of(lr, data), dir.resolve("thresholds"));
        List<Metric> m = ctx.recordedMetrics();
        double after = m.stream().filter(x -> x.name().equals("thresholds.gap_after") && x.split().equals("validation"))
                .findFirst().orElseThrow().value();
        assertThat(after).isLessThanOrEqualTo(0.05);
        for (String split : List.of("validation", "test")) {
            double before = metric(m, "thresholds.accuracy_before", split);
            double afterAcc = metric(m, "thresholds.accuracy_after", split);
            assertThat(metric(m, "thresholds.accuracy_cost", split)).isCloseTo(before - afterAcc, within(1e-15));
        }
        assertThat(m).filteredOn(x -> x.name().equals("thresholds.threshold")).extracting(Metric::slice)
                .containsExactly("sex=female", "sex=male");
        JsonNode json = JSON.readTree(ctx.outputDir().resolve(ThresholdsStage.FILE).toFile());
        assertThat(json.get("definition").asText()).contains("Hardt");
        assertThat(json.get("groups")).hasSize(2);
        assertThat(new ThresholdsStage().results(config)).contains("thresholds.accuracy_cost");
    }

    private static double metric(List<Metric> m, String name, String split) {
        return m.stream().filter(x -> x.name().equals(name) && x.split().equals(split)).findFirst().orElseThrow()
                .value();
    }
}

package dev.candor.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.MissingPolicy;
import dev.candor.stages.data.Split;
import dev.candor.stages.evaluate.EvaluateConfig;
import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.SplitConfig;
import dev.candor.stages.train.Algorithm;
import dev.candor.stages.train.TribuoTrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Valid pipelines load, and what they bind to is what the file says. */
class ValidPipelinesTest {
    private final PipelineLoader loader = TestStages.loader();

    @Test
    void bindsTheReferencePipeline() throws Exception {
        Path file = TestStages.resource("valid/breast-cancer.yaml");
        PipelineSpec spec = loader.load(file);

        assertThat(spec.file()).isEqualTo(file.toAbsolutePath().normalize());
        assertThat(spec.yamlText()).isEqualTo(Files.readString(file));
        assertThat(spec.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
        assertThat(spec.metadata()).isEqualTo(new Metadata("breast-cancer", "healthcare", "clinical-ml@example.org",
                "Malignant vs benign from cell-nucleus measurements (Wisconsin diagnostic data)"));
        assertThat(spec.seed()).isEqualTo(42L);
        assertThat(spec.runner()).isEqualTo("flink");
        assertThat(spec.device()).isEqualTo("cuda:1");
        assertThat(spec.stages()).extracting(StageSpec::id).containsExactly("data", "lr", "eval");
        assertThat(spec.stages()).extracting(StageSpec::type).containsExactly("ingest.csv", "train.tribuo", "evaluate");
        assertThat(spec.gates()).as("a gate's position is where its text starts, after a quote")
                .containsExactly(new GateSpec("eval.roc_auc >= 0.9", new Position(41, 8)),
                        new GateSpec("eval.recall_macro >= 0.85", new Position(42, 7)));

        StageSpec data = spec.stage("data").orElseThrow();
        Path csv = TestStages.resource("valid/data/breast_cancer_wisconsin.csv").toAbsolutePath().normalize();
        CsvIngestConfig ingest = data.config(CsvIngestConfig.class);
        assertThat(ingest.path()).isEqualTo(csv.toString());
        assertThat(data.dataFiles()).containsExactly(csv);
        assertThat(ingest.label()).isEqualTo("diagnosis");
        assertThat(ingest.id()).isEqualTo("patient_id");
        assertThat(ingest.protectedColumns()).containsExactly("sex", "age");
        assertThat(ingest.columns()).containsOnly(entry("age", ColumnType.NUMERIC), entry("sex", ColumnType.CATEGORICAL));
        assertThat(ingest.missing()).isEqualTo(MissingPolicy.IMPUTE_MEAN);
        assertThat(ingest.split()).isEqualTo(new SplitConfig(0.6, 0.2, 0.2));
        assertThat(ingest.delimiter()).as("default filled by the record").isEqualTo(",");
        assertThat(ingest.protectedAsFeatures()).as("default filled by the record").isFalse();
        assertThat(data.position()).isEqualTo(new Position(14, 7));
        assertThat(data.inputs()).isEmpty();
        assertThat(data.resolvedInputs()).isEmpty();

        StageSpec lr = spec.stage("lr").orElseThrow();
        TribuoTrainConfig train = lr.config(TribuoTrainConfig.class);
        assertThat(train.algorithm()).isEqualTo(Algorithm.LOGISTIC_REGRESSION);
        assertThat(train.epochs()).isEqualTo(30);
        assertThat(train.learningRate()).isEqualTo(0.5);
        assertThat(lr.canonicalConfigJson())
                .isEqualTo("{\"algorithm\":\"logistic-regression\",\"epochs\":30,\"learning_rate\":0.5}");
        assertThat(lr.dataFiles()).isEmpty();

        StageSpec eval = spec.stage("eval").orElseThrow();
        assertThat(eval.config(EvaluateConfig.class).split()).isEqualTo(Split.VALIDATION);
        assertThat(eval.config(EvaluateConfig.class).bootstrap()).isEqualTo(200);
        assertThat(eval.inputs()).as("as written").containsExactly("lr");
        assertThat(eval.resolvedInputs()).as("the dataset lr was trained on is implied").containsExactly("lr", "data");
    }

    @Test
    void canonicalConfigDoesNotDependOnFormattingOrKeyOrder() throws Exception {
        PipelineSpec usual = loader.load(TestStages.resource("valid/breast-cancer.yaml"));
        PipelineSpec reformatted = loader.load(TestStages.resource("valid/breast-cancer-reformatted.yaml"));

        assertThat(reformatted.sha256()).isNotEqualTo(usual.sha256());
        for (StageSpec stage : usual.stages()) {
            StageSpec other = reformatted.stage(stage.id()).orElseThrow();
            assertThat(other.canonicalConfigJson()).as(stage.id()).isEqualTo(stage.canonicalConfigJson());
            assertThat(other.config()).as(stage.id()).isEqualTo(stage.config());
            assertThat(other.resolvedInputs()).as(stage.id()).isEqualTo(stage.resolvedInputs());
        }
        assertThat(usual.stage("data").orElseThrow().canonicalConfigJson()).isEqualTo(
                "{\"columns\":{\"age\":\"numeric\",\"sex\":\"categorical\"},\"id\":\"patient_id\",\"label\":\"diagnosis\","
                        + "\"missing\":\"impute-mean\",\"path\":\"data/breast_cancer_wisconsin.csv\","
                        + "\"protected\":[\"sex\",\"age\"],\"split\":{\"test\":0.2,\"train\":0.6,\"validation\":0.2}}");
        assertThat(reformatted.gates()).extracting(GateSpec::expression)
                .containsExactlyElementsOf(usual.gates().stream().map(GateSpec::expression).toList());
        assertThat(reformatted.metadata().description()).isEmpty();
    }

    @Test
    void fillsDefaultsForWhatIsNotWritten() throws Exception {
        PipelineSpec spec = loader.load(TestStages.resource("valid/minimal.yaml"));

        assertThat(spec.seed()).isZero();
        assertThat(spec.runner()).isEqualTo("direct");
        assertThat(spec.device()).isEqualTo("auto");
        assertThat(spec.gates()).isEmpty();
        assertThat(spec.metadata()).isEqualTo(new Metadata("minimal", "", "", ""));
        CsvIngestConfig ingest = spec.stages().get(0).config(CsvIngestConfig.class);
        assertThat(ingest.missing()).isEqualTo(MissingPolicy.ERROR);
        assertThat(ingest.split()).isEqualTo(SplitConfig.defaults());
        assertThat(ingest.columns()).isEmpty();
        assertThat(ingest.protectedColumns()).isEmpty();
    }

    @Test
    void explicitInputsAreKeptAndStagesMayBeListedBeforeTheirInputs() throws Exception {
        PipelineSpec spec = loader.load(TestStages.resource("valid/external-validation.yaml"));

        assertThat(spec.seed()).isEqualTo(-7L);
        assertThat(spec.device()).isEqualTo("cpu");
        StageSpec eval = spec.stage("external-eval").orElseThrow();
        assertThat(eval.resolvedInputs()).containsExactly("gbt", "holdout_2024");
        StageSpec holdout = spec.stage("holdout_2024").orElseThrow();
        Path csv = TestStages.resource("valid/data/holdout_2024.csv").toAbsolutePath().normalize();
        assertThat(holdout.dataFiles()).containsExactly(csv);
        assertThat(holdout.canonicalConfigJson()).as("paths as written").contains("\"./data/../data/holdout_2024.csv\"");
        assertThat(holdout.config(CsvIngestConfig.class).split()).isEqualTo(new SplitConfig(0.1, 0.0, 0.9));
        TribuoTrainConfig gbt = spec.stage("gbt").orElseThrow().config(TribuoTrainConfig.class);
        assertThat(gbt.algorithm()).isEqualTo(Algorithm.XGBOOST);
        assertThat(gbt.trees()).isEqualTo(200);
        assertThat(gbt.maxDepth()).isEqualTo(4);
        assertThat(gbt.eta()).isEqualTo(0.1);
    }

    @Test
    void validatesTextThatIsNotAFileYet() throws Exception {
        Path file = TestStages.resource("valid/minimal.yaml");
        String text = Files.readString(file).replace("name: minimal", "name: submitted");

        PipelineSpec spec = loader.parse(file, text);

        assertThat(spec.metadata().name()).isEqualTo("submitted");
        assertThat(spec.yamlText()).isEqualTo(text);
    }
}

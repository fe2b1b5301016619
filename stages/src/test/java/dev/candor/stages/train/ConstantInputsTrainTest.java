package dev.candor.stages.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.CsvIngestStage;
import dev.candor.stages.nn.OnnxTrainConfig;
import dev.candor.stages.nn.OnnxTrainStage;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset whose every model input is constant in the training split used to train a degenerate model silently
 * (issue 9); both trainers now refuse it with a DataException naming the inputs, and write nothing. One input that
 * varies is enough to train.
 */
class ConstantInputsTrainTest {

    @TempDir
    static Path dir;
    static InputArtifact constant;
    static InputArtifact oneVaries;

    private static InputArtifact ingest(String name, boolean bVaries) throws Exception {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 60; i++) csv.append("1.5,").append(bVaries ? i % 5 : 0).append(',').append(i % 2 == 0 ? "n" : "p").append('\n');
        Path file = Files.writeString(dir.resolve(name + ".csv"), csv.toString());
        Path out = dir.resolve(name);
        LocalStageContext ctx = new LocalStageContext("data", 7, List.of(), out, "cpu");
        new CsvIngestStage().run(new CsvIngestConfig(file.toString(), "y", null, null, null, null, null, null, null, null), ctx);
        assertThat(ctx.reportedFindings()).filteredOn(f -> f.code().equals("data.constant_feature"))
                .extracting(LocalStageContext.Finding::subject).containsExactlyElementsOf(bVaries ? List.of("a") : List.of("a", "b"));
        return new InputArtifact("data", ArtifactKind.DATASET, out, "sha-" + name, Map.of());
    }

    @BeforeAll
    static void data() throws Exception {
        constant = ingest("constant", false);
        oneVaries = ingest("one-varies", true);
    }

    private static OnnxTrainConfig mlp() {
        return new OnnxTrainConfig(List.of("dense 4 relu"), null, null, null, 2, 16, null, null, null, null, null, null,
                "cpu", null);
    }

    private static void assertRefused(DataException e, Path out) {
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("train.avro", "every model input has a single value in all",
                "a = 1.5", "b = 0.0", "could learn nothing but the class balance");
        assertThat(out.resolve("model.onnx")).doesNotExist();
    }

    @Test
    void trainTribuoRefusesADatasetWhoseEveryInputIsConstant() {
        Path out = dir.resolve("lr-constant");
        DataException e = catchThrowableOfType(DataException.class, () -> new TribuoTrainStage().run(
                TribuoTrainConfig.defaults(Algorithm.LOGISTIC_REGRESSION),
                new LocalStageContext("lr", 3, List.of(constant), out, "cpu")));
        assertRefused(e, out);
    }

    @Test
    void trainOnnxRefusesADatasetWhoseEveryInputIsConstant() {
        Path out = dir.resolve("mlp-constant");
        DataException e = catchThrowableOfType(DataException.class, () -> new OnnxTrainStage().run(mlp(),
                new LocalStageContext("mlp", 3, List.of(constant), out, "cpu")));
        assertRefused(e, out);
    }

    @Test
    void oneInputThatVariesIsEnoughForBoth() throws Exception {
        new TribuoTrainStage().run(TribuoTrainConfig.defaults(Algorithm.LOGISTIC_REGRESSION),
                new LocalStageContext("lr", 3, List.of(oneVaries), dir.resolve("lr-ok"), "cpu"));
        new OnnxTrainStage().run(mlp(), new LocalStageContext("mlp", 3, List.of(oneVaries), dir.resolve("mlp-ok"), "cpu"));
        assertThat(dir.resolve("lr-ok").resolve("model.onnx")).exists();
        assertThat(dir.resolve("mlp-ok").resolve("model.onnx")).exists();
    }
}

package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.candor.stages.evaluate.EvaluateConfig;
import dev.candor.stages.evaluate.EvaluateStage;
import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.CsvIngestStage;
import dev.candor.stages.ingest.SplitConfig;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CNN through {@code train.onnx}: the 8x8 digits' 64 pixel columns reshaped by {@code input_shape}. */
class OnnxTrainCnnStageTest {
    @TempDir
    Path dir;

    @Test
    void cnnLearnsTheDigitsFromPixelColumnsAndEvaluateScoresItsTenClasses() throws Exception {
        Path csv = dir.resolve("digits_8x8.csv");
        try (InputStream in = OnnxTrainCnnStageTest.class.getResourceAsStream("/data/digits_8x8.csv")) {
            Files.copy(in, csv);
        }
        Path data = dir.resolve("data");
        new CsvIngestStage().run(new CsvIngestConfig(csv.toString(), "digit", null, null, null, null, null, null,
                new SplitConfig(0.6, 0.2, 0.2), null), new LocalStageContext("data", 3, List.of(), data, "cpu"));
        InputArtifact dataset = new InputArtifact("data", ArtifactKind.DATASET, data, "sha-digits", Map.of());

        OnnxTrainConfig config = new OnnxTrainConfig(List.of("conv 8 3x3 relu", "maxpool 2", "flatten", "dense 32 relu"),
                null, null, new OnnxTrainConfig.Optimizer("adam", 0.002, null, null, null, null, null, null), 8, 32,
                new OnnxTrainConfig.EarlyStop("val_accuracy", 3, null), null, null, null, null, List.of(1, 8, 8), null, null);
        LocalStageContext train = new LocalStageContext("cnn", 5, List.of(dataset), dir.resolve("cnn"), "cpu");
        long t0 = System.nanoTime();
        new OnnxTrainStage().run(config, train);
        double seconds = (System.nanoTime() - t0) / 1e9;

        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(train.outputDir().resolve(ModelMetadata.MODEL_FILE)));
        ModelMetadata meta = ModelMetadata.fromProperties(model.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue)));
        assertThat(meta.modelType()).isEqualTo("cnn");
        assertThat(meta.labels()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(meta.encoder().width()).isEqualTo(64);

        LocalStageContext eval = new LocalStageContext("eval_cnn", 5, List.of(
                new InputArtifact("cnn", ArtifactKind.MODEL, train.outputDir(), "sha-cnn", Map.of()), dataset),
                dir.resolve("eval"), "cpu");
        new EvaluateStage().run(new EvaluateConfig(null, null, null, 0, null), eval);
        double accuracy = eval.recordedMetrics().stream()
                .filter(m -> m.name().equals("accuracy") && m.slice() == null && "test".equals(m.split()))
                .findFirst().orElseThrow().value();
        System.out.printf("train.onnx digits CNN: %.1f s, %.0f epochs, test accuracy %.4f%n", seconds, train.recordedMetrics().stream()
                .filter(m -> m.name().equals("epochs_run")).findFirst().orElseThrow().value(), accuracy);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.9);
    }
}

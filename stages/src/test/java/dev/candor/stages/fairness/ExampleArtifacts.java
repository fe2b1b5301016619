package dev.candor.stages.fairness;

import dev.candor.stages.data.ColumnType;
import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.ingest.CsvIngestStage;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.train.Algorithm;
import dev.candor.stages.train.TribuoTrainConfig;
import dev.candor.stages.train.TribuoTrainStage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Artifacts built by the real stages from the example data in {@code examples/}, as the example pipelines build
 * them (same keys, same seeds), for the stage-level tests of the fairness and audit stages.
 */
public final class ExampleArtifacts {
    /** The example data, relative to the {@code stages} module (Maven runs tests there). */
    public static final Path CREDIT = Path.of("../examples/credit-risk/data/german_credit.csv").toAbsolutePath();
    public static final Path CANCER = Path.of("../examples/breast-cancer/data/breast_cancer_wisconsin.csv")
            .toAbsolutePath();

    private ExampleArtifacts() {
    }

    /** The credit-risk example's {@code data} stage (seed 7). */
    public static CsvIngestConfig creditConfig(List<String> quasiIdentifiers) {
        return new CsvIngestConfig(CREDIT.toString(), "class", Map.of("installment_commitment", ColumnType.NUMERIC,
                "residence_since", ColumnType.NUMERIC, "existing_credits", ColumnType.NUMERIC,
                "num_dependents", ColumnType.NUMERIC), null, List.of("sex", "age"), List.of("personal_status"), null,
                null, null, null, quasiIdentifiers, null, null);
    }

    public static InputArtifact ingest(CsvIngestConfig config, long seed, Path dir) throws Exception {
        LocalStageContext ctx = new LocalStageContext("data", seed, List.of(), dir, "cpu");
        new CsvIngestStage().run(config, ctx);
        return new InputArtifact("data", ArtifactKind.DATASET, dir, "sha-" + dir.getFileName(), Map.of());
    }

    public static InputArtifact creditData(Path dir) throws Exception {
        return ingest(creditConfig(List.of()), 7, dir);
    }

    /** The breast-cancer example's {@code data} stage (seed 42, 70/10/20). */
    public static InputArtifact cancerData(Path dir) throws Exception {
        return ingest(new CsvIngestConfig(CANCER.toString(), "diagnosis", null, null, null, null, null, null,
                new dev.candor.stages.ingest.SplitConfig(0.7, 0.1, 0.2), null), 42, dir);
    }

    public static InputArtifact train(InputArtifact data, TribuoTrainConfig config, long seed, Path dir)
            throws Exception {
        new TribuoTrainStage().run(config, new LocalStageContext("model", seed, List.of(data), dir, "cpu"));
        return new InputArtifact("model-" + dir.getFileName(), ArtifactKind.MODEL, dir, "sha-" + dir.getFileName(),
                Map.of());
    }

    public static InputArtifact lr(InputArtifact data, long seed, Path dir) throws Exception {
        return train(data, new TribuoTrainConfig(Algorithm.LOGISTIC_REGRESSION, 30, 0.5, null, null, null, null, null,
                null, null, null, null), seed, dir);
    }

    /** Runs a stage on a fresh local context. */
    public static <C extends Record> LocalStageContext run(Stage<C> stage, C config, String id, long seed,
                                                           List<InputArtifact> inputs, Path out) throws Exception {
        LocalStageContext ctx = new LocalStageContext(id, seed, inputs, out, "cpu");
        stage.run(config, ctx);
        return ctx;
    }
}

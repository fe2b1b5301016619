package dev.candor.pipeline.spec;

import dev.candor.stages.evaluate.EvaluateConfig;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.util.List;

/** Stands in for the real {@code evaluate}: the same type, config and ports. */
final class TestEvaluateStage implements Stage<EvaluateConfig> {
    @Override
    public String type() {
        return "evaluate";
    }

    @Override
    public String description() {
        return "Scores a dataset split through the model and records metrics";
    }

    @Override
    public Class<EvaluateConfig> configType() {
        return EvaluateConfig.class;
    }

    @Override
    public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.MODEL, "the model to evaluate"),
                InputPort.exactlyOne(ArtifactKind.DATASET, "the data to evaluate on"));
    }

    @Override
    public ArtifactKind output() {
        return ArtifactKind.EVALUATION;
    }

    @Override
    public StageOutput run(EvaluateConfig config, StageContext context) {
        throw new UnsupportedOperationException("a test stand-in: the spec tests never run stages");
    }
}

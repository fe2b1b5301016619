package dev.candor.pipeline.spec;

import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataPath;
import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Key;
import dev.candor.stages.spi.Required;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.util.List;
import java.util.Map;

/** A stage whose config uses every kind of value the binder and the schema generator support. */
final class KitchenStage implements Stage<KitchenStage.KitchenConfig> {

    enum Mode { FAST_AND_LOOSE, CAREFUL }

    @Doc("A part with a name and a weight")
    record Part(@Required @Doc("The part's name") String name, Double weight) {
        Part {
            if (weight != null && weight > 1) {
                throw new ConfigException("weight", "must be at most 1, got " + weight);
            }
        }
    }

    @Doc("Every kind of value")
    record KitchenConfig(
            @Required @Doc("How many") int count,
            long big,
            double ratio,
            boolean flag,
            Integer boxed,
            List<Map<String, Integer>> layers,
            Map<String, List<String>> groups,
            @Doc("How to go about it") Mode mode,
            Part main,
            List<Part> parts,
            @DataPath String reference,
            @Key("class") String className) {
        KitchenConfig {
            if (ratio < 0) {
                // Names the component, not the YAML key: the binder must map one to the other.
                throw new ConfigException("ratio", "must be at least 0, got " + ratio);
            }
            if (boxed != null && boxed == 13) {
                throw new IllegalArgumentException("boxed and count clash: 13 is reserved");
            }
            if ("none".equals(className)) {
                throw new ConfigException("className", "must name a class, got 'none'");
            }
        }
    }

    @Override
    public String type() {
        return "test.kitchen";
    }

    @Override
    public String description() {
        return "Binds every kind of value";
    }

    @Override
    public Class<KitchenConfig> configType() {
        return KitchenConfig.class;
    }

    @Override
    public List<InputPort> inputs() {
        return List.of(InputPort.optional(ArtifactKind.DATASET, "anything"));
    }

    @Override
    public ArtifactKind output() {
        return ArtifactKind.EVALUATION;
    }

    @Override
    public StageOutput run(KitchenConfig config, StageContext context) {
        throw new UnsupportedOperationException("a test stand-in: the spec tests never run stages");
    }
}

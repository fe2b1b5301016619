package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphBuilder;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.Activation;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LayerSpec;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Layer strings, shape inference and the compiled graphs' interface. */
class CompileNnTest {
    @Test
    void parsesTheLayerStringsOfTheSpec() {
        assertThat(LayerParser.parseAll(List.of("dense 64 relu", "dropout 0.2", "conv 16 3x3 relu", "maxpool 2",
                "flatten", "avgpool 3 stride 1", "conv 8 5x3 stride 2 pad 1", "batchnorm", "leaky-relu", "dense 3")))
                .containsExactly(new LayerSpec.Dense(64, Activation.RELU), new LayerSpec.Dropout(0.2),
                        new LayerSpec.Conv2d(16, 3, 3, 1, LayerSpec.Conv2d.SAME, Activation.RELU), new LayerSpec.Pool(true, 2, 2),
                        new LayerSpec.Flatten(), new LayerSpec.Pool(false, 3, 1),
                        new LayerSpec.Conv2d(8, 5, 3, 2, 1, Activation.NONE), new LayerSpec.BatchNorm(0.1, 1e-5),
                        new LayerSpec.Act(Activation.LEAKY_RELU), new LayerSpec.Dense(3, Activation.NONE));
    }

    @Test
    void badLayersNameThemselvesAndTheFix() {
        assertThatThrownBy(() -> LayerParser.parseAll(List.of("dense 64 relu", "dense x relu")))
                .hasMessage("layer 2 'dense x relu': the unit count must be a whole number from 1 to 1,000,000, got 'x'");
        assertThatThrownBy(() -> LayerParser.parse(0, "dense 8 swish"))
                .hasMessageContaining("layer 1 'dense 8 swish': unknown activation 'swish'; expected one of linear, relu");
        assertThatThrownBy(() -> LayerParser.parse(2, "dropout 1.5"))
                .hasMessage("layer 3 'dropout 1.5': dropout probability must be in [0, 1), got 1.5");
        assertThatThrownBy(() -> LayerParser.parse(0, "lstm 32"))
                .hasMessageContaining("layer 1 'lstm 32': unknown layer kind 'lstm'");
        assertThatThrownBy(() -> LayerParser.parse(0, "conv 16"))
                .hasMessageContaining("expected conv FILTERS KxK");
    }

    @Test
    void sizesPastTheLimitsAreRefusedWithTheLegalRangeNotAnOverflow() {
        // The layer: it used to fail training with only "integer overflow".
        assertThatThrownBy(() -> LayerParser.parse(0, "dense 2000000000 relu")).hasMessage("layer 1 'dense 2000000000 relu':"
                + " the unit count must be a whole number from 1 to 1,000,000, got '2000000000'");
        assertThatThrownBy(() -> LayerParser.parse(0, "dense 99999999999999999999")).hasMessageContaining("from 1 to 1,000,000");
        assertThatThrownBy(() -> LayerParser.parse(0, "conv 8 4096x3")).hasMessageContaining("the kernel height must be a"
                + " whole number from 1 to 1,024, got '4096'");
        assertThatThrownBy(() -> new TensorShape(List.of(3, 100_000, 100_000)))
                .isInstanceOf(dev.candor.stages.nn.model.SizeLimitException.class)
                .hasMessageContaining("holds more than 10,000,000 values");

        // Within each layer's limits, but too many parameters once the data's width is known: counted exactly.
        ModelSpec wide = spec("dense 100000 relu");
        assertThatThrownBy(() -> TrainStepCompiler.compile(wide, TensorShape.of(2_000), 2, TrainStepCompiler.Options.TRAINING))
                .isInstanceOf(dev.candor.stages.nn.model.SizeLimitException.class)
                .hasMessage("the network has 200,300,002 parameters with [2000] inputs and 2 outputs; at most 100,000,000"
                        + " are allowed: use fewer or smaller layers (or pool before dense layers)");
        // And before any data is read, counting one input feature, in the config (a spec error at 'layers').
        assertThatThrownBy(() -> OnnxTrainConfig.of(List.of("dense 100000 relu", "dense 100000 relu")))
                .isInstanceOf(dev.candor.stages.spi.ConfigException.class)
                .hasMessageContaining("the network has 10,000,400,001 parameters")
                .hasMessageContaining("(counted with a single input feature, the fewest the data can give)");
        assertThat(OnnxTrainConfig.of(List.of("dense 5000 relu", "dense 5000 relu")).layers()).hasSize(2);
    }

    @Test
    void shapesThatDoNotFitNameTheLayerAndTheShapes() {
        ModelSpec dense = spec("conv 4 3x3 relu", "dense 8");
        assertThatThrownBy(() -> TrainStepCompiler.compile(dense, TensorShape.of(1, 8, 8), 10, TrainStepCompiler.Options.TRAINING))
                .hasMessage("layer 2 'dense 8' cannot take the output of layer 1 'conv 4 3x3 relu' (shape [4x8x8]):"
                        + " dense needs a vector; add 'flatten' before it");
        ModelSpec tooSmall = spec("conv 4 3x3 valid", "maxpool 2", "conv 4 5x5 valid", "flatten");
        assertThatThrownBy(() -> TrainStepCompiler.compile(tooSmall, TensorShape.of(1, 8, 8), 10, TrainStepCompiler.Options.TRAINING))
                .hasMessageContaining("layer 3 'conv 4 5x5 pad 0' cannot take the output of layer 2 'maxpool 2' (shape [4x3x3])")
                .hasMessageContaining("kernel is larger than the 3x3 image");
        ModelSpec noFlatten = spec("conv 4 3x3");
        assertThatThrownBy(() -> TrainStepCompiler.compile(noFlatten, TensorShape.of(1, 8, 8), 10, TrainStepCompiler.Options.TRAINING))
                .hasMessageContaining("gives shape [4x8x8]; add 'flatten' at the end");
        ModelSpec conv = spec("conv 4 3x3");
        assertThatThrownBy(() -> TrainStepCompiler.compile(conv, TensorShape.of(30), 2, TrainStepCompiler.Options.TRAINING))
                .hasMessageContaining("conv needs an image");
    }

    @Test
    void trainStepGraphHasTheContractedInterfaceAndOnlyStandardOperators() {
        ModelSpec s = ModelSpec.of(LayerParser.parseAll(List.of("conv 4 3x3 relu", "maxpool 2", "batchnorm", "flatten",
                        "dense 8 relu", "dropout 0.3")), LossSpec.of(LossSpec.Kind.CROSS_ENTROPY),
                OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.01));
        CompiledModel m = TrainStepCompiler.compile(s, TensorShape.of(1, 8, 8), 10, TrainStepCompiler.Options.TRAINING);
        ModelProto g = m.trainStep();
        Set<String> inputs = g.getGraph().getInputList().stream().map(v -> v.getName()).collect(Collectors.toSet());
        Set<String> outputs = g.getGraph().getOutputList().stream().map(v -> v.getName()).collect(Collectors.toSet());
        assertThat(inputs).contains(GraphNames.X, GraphNames.Y, GraphNames.LR, GraphNames.STEP, "l1.conv.W",
                "l1.conv.W.m", "l1.conv.W.v", "l3.bn.running_mean", "l6.dropout.mask", "out.W");
        assertThat(outputs).contains(GraphNames.LOSS, GraphNames.OBJECTIVE, GraphNames.PREDICTIONS, "l1.conv.W.next",
                "l1.conv.W.m.next", "l3.bn.running_var.next", "out.b.v.next");
        assertThat(g.getOpsetImport(0).getDomain()).isEmpty();
        assertThat(g.getOpsetImport(0).getVersion()).isEqualTo((long) GraphBuilder.OPSET);
        assertThat(g.getGraph().getNodeList().stream().map(NodeProto::getDomain)).allMatch(String::isEmpty);
        assertThat(m.eval().getGraph().getInputList().stream().map(v -> v.getName()))
                .doesNotContain(GraphNames.LR, "l6.dropout.mask", "l1.conv.W.m");
        assertThat(m.masks()).singleElement().extracting(CompiledModel.MaskSlot::shape).isEqualTo(TensorShape.of(8));
        assertThat(m.params().stream().map(p -> p.name())).containsExactly("l1.conv.W", "l1.conv.b", "l3.bn.gamma",
                "l3.bn.beta", "l5.dense.W", "l5.dense.b", "out.W", "out.b");
    }

    @Test
    void modelDescriptionsValidateTheirRanges() {
        assertThatThrownBy(() -> new OptimizerSpec(OptimizerSpec.Kind.ADAM, 0, 0, 0.9, 0.9, 0.999, 0.99, 1e-8))
                .hasMessage("optimizer lr must be > 0, got 0.0");
        assertThatThrownBy(() -> OptimizerSpec.kindOf("lion")).hasMessageContaining("unknown optimizer 'lion'");
        assertThatThrownBy(() -> LossSpec.parse("focal", List.of())).hasMessageContaining("unknown loss 'focal'");
        assertThatThrownBy(() -> new LossSpec(LossSpec.Kind.BINARY_CROSS_ENTROPY, List.of(1.0)))
                .hasMessageContaining("takes 2 class weights");
        ModelSpec weighted = new ModelSpec(List.of(), new LossSpec(LossSpec.Kind.CROSS_ENTROPY, List.of(1.0, 2.0)),
                OptimizerSpec.defaults(OptimizerSpec.Kind.SGD, 0.1), 0, 0, 0);
        assertThatThrownBy(() -> TrainStepCompiler.compile(weighted, TensorShape.of(4), 3, TrainStepCompiler.Options.TRAINING))
                .hasMessageContaining("class_weights has 2 values but the label has 3 classes");
    }

    private static ModelSpec spec(String... layers) {
        return ModelSpec.of(LayerParser.parseAll(List.of(layers)), LossSpec.of(LossSpec.Kind.CROSS_ENTROPY),
                OptimizerSpec.defaults(OptimizerSpec.Kind.SGD, 0.1));
    }
}

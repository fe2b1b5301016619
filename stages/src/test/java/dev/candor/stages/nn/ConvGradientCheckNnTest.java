package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution, pooling, flatten and batch norm on images against central finite differences. ONNX Runtime's CPU
 * provider has no float64 Conv, ConvTranspose or AveragePool, so these graphs are float32: with h = 1e-3 the
 * objective's rounding (~1e-7 relative, a loss of order 1) gives ~1e-4 noise per difference quotient, and a
 * larger h crosses max-pool and ReLU kinks. A wrong gradient is off by the gradient's own size (~1e-1); the test
 * asks for max |analytic - numeric| < 3e-3 and ||analytic - numeric|| / ||numeric|| < 1e-2.
 */
class ConvGradientCheckNnTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("conv 3x3 same + flatten", List.of("conv 3 3x3 tanh", "flatten")),
                Arguments.of("conv 3x3 valid stride 2", List.of("conv 2 3x3 stride 2 valid relu", "flatten")),
                Arguments.of("conv 2x3 pad 1 stride 2", List.of("conv 2 2x3 stride 2 pad 1", "flatten")),
                Arguments.of("conv + maxpool 2", List.of("conv 2 3x3 tanh", "maxpool 2", "flatten")),
                Arguments.of("maxpool 3 stride 2 (overlap)", List.of("conv 2 3x3 tanh", "maxpool 3 stride 2", "flatten")),
                Arguments.of("conv + avgpool 2", List.of("conv 2 3x3 tanh", "avgpool 2", "flatten")),
                Arguments.of("avgpool 3 stride 2 (overlap)", List.of("conv 2 3x3 tanh", "avgpool 3 stride 2", "flatten")),
                Arguments.of("batchnorm (image)", List.of("conv 3 3x3", "batchnorm", "relu", "flatten")),
                Arguments.of("small CNN", List.of("conv 3 3x3 relu", "maxpool 2", "conv 2 3x3 tanh", "flatten", "dense 4 relu")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void convGradientsMatchFiniteDifferences(String label, List<String> layers) {
        ModelSpec spec = ModelSpec.of(LayerParser.parseAll(layers), LossSpec.of(LossSpec.Kind.CROSS_ENTROPY),
                OptimizerSpec.defaults(OptimizerSpec.Kind.SGD, 0.1));
        GradientCheck.Errors e = GradientCheck.check(label, spec, TensorShape.of(2, 7, 7), 3, false, 3, 1e-3, 1e-2);
        assertThat(e.maxAbs()).as("%s: worst absolute gradient error", label).isLessThan(3e-3);
        assertThat(e.normRel()).as("%s: relative error of the whole gradient", label).isLessThan(1e-2);
    }
}

package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.Param;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled backward pass of every layer, loss and regularizer against central finite differences of the
 * compiled objective, in float64 graphs: step h = 1e-5 gives truncation error ~h^2 and rounding ~1e-16/h, both
 * far below the 1e-6 relative tolerance (relative to max(|g|, 1e-3) per component).
 */
class GradientCheckNnTest {
    static Stream<Arguments> mlpCases() {
        LossSpec ce = LossSpec.of(LossSpec.Kind.CROSS_ENTROPY);
        return Stream.of(
                Arguments.of("dense (linear)", List.of("dense 5"), ce, 0.0, 0.0, 3),
                Arguments.of("dense relu", List.of("dense 6 relu"), ce, 0.0, 0.0, 3),
                Arguments.of("dense leaky-relu", List.of("dense 6 leaky-relu"), ce, 0.0, 0.0, 3),
                Arguments.of("dense sigmoid", List.of("dense 6 sigmoid"), ce, 0.0, 0.0, 3),
                Arguments.of("dense tanh", List.of("dense 6 tanh"), ce, 0.0, 0.0, 3),
                Arguments.of("dense softmax (hidden)", List.of("dense 6", "softmax"), ce, 0.0, 0.0, 3),
                Arguments.of("dropout 0.5", List.of("dense 6 tanh", "dropout 0.5", "dense 4 relu"), ce, 0.0, 0.0, 3),
                Arguments.of("deep relu/tanh", List.of("dense 7 relu", "dense 5 tanh", "dense 4 sigmoid"), ce, 0.0, 0.0, 3),
                Arguments.of("loss cross-entropy weighted", List.of("dense 5 tanh"),
                        new LossSpec(LossSpec.Kind.CROSS_ENTROPY, List.of(1.0, 3.0, 0.5)), 0.0, 0.0, 3),
                Arguments.of("loss binary-cross-entropy", List.of("dense 5 tanh"),
                        LossSpec.of(LossSpec.Kind.BINARY_CROSS_ENTROPY), 0.0, 0.0, 1),
                Arguments.of("loss bce weighted", List.of("dense 5 tanh"),
                        new LossSpec(LossSpec.Kind.BINARY_CROSS_ENTROPY, List.of(0.7, 2.0)), 0.0, 0.0, 1),
                Arguments.of("loss mse", List.of("dense 5 tanh"), LossSpec.of(LossSpec.Kind.MSE), 0.0, 0.0, 2),
                Arguments.of("loss hinge", List.of("dense 5 tanh"), LossSpec.of(LossSpec.Kind.HINGE), 0.0, 0.0, 3),
                Arguments.of("loss hinge weighted", List.of("dense 5 tanh"),
                        new LossSpec(LossSpec.Kind.HINGE, List.of(2.0, 1.0, 0.5)), 0.0, 0.0, 3),
                Arguments.of("L1", List.of("dense 5 tanh"), ce, 0.03, 0.0, 3),
                Arguments.of("L2", List.of("dense 5 tanh"), ce, 0.0, 0.05, 3),
                Arguments.of("L1 + L2", List.of("dense 5 relu"), ce, 0.02, 0.04, 3),
                Arguments.of("batchnorm (vector)", List.of("dense 6", "batchnorm", "relu"), ce, 0.0, 0.0, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mlpCases")
    void mlpGradientsMatchFiniteDifferences(String label, List<String> layers, LossSpec loss, double l1, double l2,
                                            int outputs) {
        ModelSpec spec = new ModelSpec(LayerParser.parseAll(layers), loss,
                OptimizerSpec.defaults(OptimizerSpec.Kind.SGD, 0.1), l1, l2, 0);
        GradientCheck.Errors e = GradientCheck.check(label, spec, TensorShape.of(4), outputs, true, 5, 1e-5, 1e-3);
        assertThat(e.checked()).isGreaterThan(10);
        assertThat(e.maxRel()).as("%s: worst relative gradient error", label).isLessThan(1e-6);
    }

    /** Clipping by global norm: the gradient the optimizer sees is the numeric one times min(1, c / ||g||). */
    @Test
    void clippingScalesTheWholeGradientToTheNorm() {
        for (double c : new double[] {0.05, 1e6}) {
            ModelSpec spec = new ModelSpec(LayerParser.parseAll(List.of("dense 5 tanh")),
                    LossSpec.of(LossSpec.Kind.CROSS_ENTROPY), OptimizerSpec.defaults(OptimizerSpec.Kind.SGD, 0.1), 0, 0.01, c);
            CompiledModel m = TrainStepCompiler.compile(spec, TensorShape.of(4), 3, new TrainStepCompiler.Options(true, true));
            Map<String, GraphRunner.Input> in = GradientCheck.randomInputs(m, 5, 7);
            try (GraphRunner runner = new GraphRunner(m.trainStep(), true)) {
                Map<String, double[]> base = runner.run(in);
                Map<String, double[]> fd = GradientCheck.numeric(runner, m, in, 1e-5);
                double norm2 = 0;
                for (double[] g : fd.values()) for (double v : g) norm2 += v * v;
                double factor = Math.min(1, c / (Math.sqrt(norm2) + 1e-6)); // the compiler's formula, epsilon included
                double worst = 0;
                double clipped2 = 0;
                for (Param p : m.params()) {
                    double[] a = base.get(GraphNames.grad(p.name()));
                    double[] f = fd.get(p.name());
                    for (int i = 0; i < a.length; i++) {
                        worst = Math.max(worst, Math.abs(a[i] - factor * f[i]));
                        clipped2 += a[i] * a[i];
                    }
                }
                System.out.printf("gradient check clip_norm %-8s factor %.4f  max abs err %.2e%n", c, factor, worst);
                assertThat(worst).as("clip %s", c).isLessThan(1e-8);
                if (c < 1) assertThat(Math.sqrt(clipped2)).isCloseTo(c, org.assertj.core.data.Offset.offset(1e-5));
                else assertThat(factor).isEqualTo(1.0);
            }
        }
    }
}

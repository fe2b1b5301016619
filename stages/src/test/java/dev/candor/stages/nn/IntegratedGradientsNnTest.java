package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.candor.explain.gradients.IntegratedGradients;
import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.explain.OnnxInputGradient;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.InferenceGraph;
import dev.candor.stages.nn.compile.InputGradientGraph;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.nn.train.Schedule;
import dev.candor.stages.nn.train.TrainConfig;
import dev.candor.stages.nn.train.Trainer;
import dev.candor.stages.nn.train.TrainingResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Input gradients of a trained MLP (breast cancer, the nn Trainer) through {@link InputGradientGraph} and ONNX
 * Runtime: the graph's forward pass is the exported model's, its gradient matches central differences of the exported
 * model, and Integrated Gradients over it is complete (attributions add up to f(x) − f(baseline)).
 */
class IntegratedGradientsNnTest {
    static NnTrainingTest.Split data;
    static CompiledModel model;
    static TrainingResult trained;

    @BeforeAll
    static void train() {
        data = NnTrainingTest.breastCancer(1);
        ModelSpec spec = ModelSpec.of(LayerParser.parseAll(List.of("dense 32 relu", "dropout 0.2", "dense 16 tanh")),
                LossSpec.of(LossSpec.Kind.CROSS_ENTROPY), OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.003));
        model = TrainStepCompiler.compile(spec, TensorShape.of(30), 2, TrainStepCompiler.Options.TRAINING);
        trained = Trainer.train(model, data.train(), data.val(),
                new TrainConfig(20, 32, 5, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1), e -> { });
    }

    private static double[][] testRows(int n) {
        double[][] rows = new double[n][30];
        for (int i = 0; i < n; i++) for (int j = 0; j < 30; j++) rows[i][j] = data.testX()[i * 30 + j];
        return rows;
    }

    /** f: the exported model's probabilities, through its own inference graph. */
    private static double[][] exported(OnnxPredictor p, double[][] rows) {
        float[][] in = new float[rows.length][rows[0].length];
        for (int i = 0; i < rows.length; i++) for (int j = 0; j < rows[i].length; j++) in[i][j] = (float) rows[i][j];
        float[][] out = p.predict(in);
        double[][] d = new double[out.length][out[0].length];
        for (int i = 0; i < out.length; i++) for (int k = 0; k < out[i].length; k++) d[i][k] = out[i][k];
        return d;
    }

    private static OnnxPredictor inference() {
        ModelProto proto = InferenceGraph.build(model, trained.values());
        return OnnxPredictor.open(proto.toByteArray(), OnnxPredictor.Options.of(GraphNames.INFER_INPUT,
                GraphNames.PROBABILITIES).withLabels(List.of("benign", "malignant")));
    }

    private static OnnxInputGradient gradient() {
        return new OnnxInputGradient(InputGradientGraph.build(model, trained.values()), 30,
                InputGradientGraph.outputWidth(model), SessionSettings.defaults().withIntraOpThreads(1));
    }

    @Test
    void theGradientIsTheExportedModelsAndMatchesCentralDifferences() {
        double[][] rows = testRows(8);
        try (OnnxPredictor f = inference(); OnnxInputGradient g = gradient()) {
            double[][] p = exported(f, rows);
            double[][] same = g.outputs(rows);
            for (int i = 0; i < rows.length; i++) {
                for (int k = 0; k < 2; k++) assertThat(same[i][k]).isCloseTo(p[i][k], org.assertj.core.data.Offset.offset(1e-6));
            }
            // Central differences of the exported model (float32), step 1e-2 standard deviations: truncation O(h²)
            // and float noise ~1e-7 / h stay below 2e-4 where no ReLU kink lies within h of the row.
            double h = 1e-2;
            double worst = 0;
            double scale = 0;
            for (int k = 0; k < 2; k++) {
                double[][] grad = g.gradient(rows, k);
                for (int i = 0; i < rows.length; i++) {
                    for (int j = 0; j < 30; j++) {
                        double[][] plus = {rows[i].clone()};
                        double[][] minus = {rows[i].clone()};
                        plus[0][j] += h;
                        minus[0][j] -= h;
                        double fd = (exported(f, plus)[0][k] - exported(f, minus)[0][k]) / (2 * h);
                        worst = Math.max(worst, Math.abs(fd - grad[i][j]));
                        scale = Math.max(scale, Math.abs(grad[i][j]));
                    }
                }
                // the classes' probabilities sum to 1, so their gradients cancel
                double[][] other = g.gradient(rows, 1 - k);
                for (int i = 0; i < rows.length; i++) {
                    for (int j = 0; j < 30; j++) assertThat(grad[i][j] + other[i][j]).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-6));
                }
            }
            System.out.printf("input gradient vs central differences of the exported MLP: max |difference| %.3g (largest"
                    + " |gradient| %.3g)%n", worst, scale);
            assertThat(scale).isGreaterThan(1e-3);
            assertThat(worst).isLessThan(2e-4 + 1e-2 * scale);
        }
    }

    /**
     * Completeness: Σ attributions = f(x) − f(baseline) (probability of malignant), baseline the training mean (0 in
     * standardized units). The gap is the trapezoid rule's error: O(1/steps²) where the path is smooth, plus, for each
     * ReLU kink the path crosses, at most (jump of the gradient × 1/steps), so it falls between second and first order
     * in 1/steps. The bar is the paper's own check (the gap within 5 % of f(x) − f(baseline), Sundararajan et al.
     * 2017, §6) made 5 times stricter: within 1 % of the largest change at 256 steps; and the gap must keep falling,
     * at least 4-fold from 64 to 1024 steps (first order alone gives 16-fold) to under 2e-3. Float32 gradients add
     * ~1e-6, far below.
     */
    @Test
    void integratedGradientsIsCompleteWithinTheQuadratureError() {
        double[][] rows = testRows(20);
        double[] baseline = new double[30];
        int[] steps = {8, 64, 256, 1024};
        try (OnnxPredictor f = inference(); OnnxInputGradient g = gradient()) {
            double fBase = exported(f, new double[][] {baseline})[0][1];
            double[] worst = new double[steps.length];
            double largestChange = 0;
            long started = System.nanoTime();
            for (double[] row : rows) {
                double fRow = exported(f, new double[][] {row})[0][1];
                largestChange = Math.max(largestChange, Math.abs(fRow - fBase));
                for (int s = 0; s < steps.length; s++) {
                    IntegratedGradients.Attribution a = new IntegratedGradients(g,
                            IntegratedGradients.Options.defaults().withSteps(steps[s])).explain(row, baseline, 1);
                    worst[s] = Math.max(worst[s], a.completenessGap(fRow, fBase));
                    assertThat(a.evaluations()).isEqualTo(steps[s] + 1);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("Integrated Gradients (trapezoid) on the MLP, 20 test rows, |f(x) − f(baseline)| up to %.3f:"
                            + " max completeness gap %.3g / %.3g / %.3g / %.3g with 8 / 64 / 256 / 1024 steps; %.1f rows/s"
                            + " for the four%n", largestChange, worst[0], worst[1], worst[2], worst[3],
                    rows.length / seconds);
            assertThat(largestChange).as("the rows move the probability").isGreaterThan(0.2);
            assertThat(worst[2]).isLessThan(0.01 * largestChange);
            assertThat(worst[3]).isLessThan(2e-3);
            assertThat(worst[1] / worst[3]).isGreaterThan(4);
            double[][] saliency = IntegratedGradients.saliency(g, rows, 1, true);
            double[][] gradient = g.gradient(rows, 1);
            assertThat(saliency[0][3]).isEqualTo(gradient[0][3] * rows[0][3]);
        }
    }

    /**
     * A small CNN on the 8×8 digits (conv, max pool, flatten, dense): the conv and pool layers' backward emitters give
     * the gradient central differences see (on slightly noisy images, so no max-pool window holds a tie), and Integrated Gradients from a black image is complete to 1 % of the
     * probability change at 256 steps.
     */
    @Test
    void convolutionalModelGradientsMatchCentralDifferencesAndIntegratedGradientsIsComplete() {
        CsvTable t = CsvTable.read(java.nio.file.Path.of("src/test/resources/data/digits_8x8.csv"), Integer::parseInt);
        int[] order = t.shuffled(3);
        int[] val = CsvTable.range(order, 0, 200);
        int[] train = CsvTable.range(order, 200, 900);
        ModelSpec spec = ModelSpec.of(LayerParser.parseAll(List.of("conv 4 3x3 relu", "maxpool 2", "flatten",
                "dense 16 relu")), LossSpec.of(LossSpec.Kind.CROSS_ENTROPY), OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.003));
        CompiledModel cnn = TrainStepCompiler.compile(spec, TensorShape.of(1, 8, 8), 10, TrainStepCompiler.Options.TRAINING);
        TrainingResult r = Trainer.train(cnn, dev.candor.stages.nn.train.NnData.classes(t.scaled(train, 16f),
                        t.labelsOf(train), 64, 10), dev.candor.stages.nn.train.NnData.classes(t.scaled(val, 16f),
                        t.labelsOf(val), 64, 10),
                new TrainConfig(5, 32, 3, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1), e -> { });
        float[] images = t.scaled(val, 16f);
        // Seeded noise on the pixels: a blank patch gives equal conv outputs, a tie that max pooling breaks by index,
        // where the function has no derivative for central differences to measure.
        java.util.SplittableRandom noise = new java.util.SplittableRandom(11);
        double[][] rows = new double[4][64];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 64; j++) rows[i][j] = images[i * 64 + j] + 0.05 * noise.nextDouble();
        int[] labels = t.labelsOf(val);
        List<String> names = java.util.stream.IntStream.range(0, 10).mapToObj(Integer::toString).toList();
        try (OnnxPredictor f = OnnxPredictor.open(InferenceGraph.build(cnn, r.values()).toByteArray(),
                OnnxPredictor.Options.of(GraphNames.INFER_INPUT, GraphNames.PROBABILITIES).withLabels(names));
             OnnxInputGradient g = new OnnxInputGradient(InputGradientGraph.build(cnn, r.values()), 64, 10,
                     SessionSettings.defaults().withIntraOpThreads(1))) {
            double h = 1e-3;
            double worst = 0;
            double scale = 0;
            double worstGap = 0;
            double largestChange = 0;
            int smooth = 0;
            double[] black = new double[64];
            for (int i = 0; i < rows.length; i++) {
                int k = labels[i];
                double[] grad = g.gradient(new double[][] {rows[i]}, k)[0];
                double f0 = exported(f, new double[][] {rows[i]})[0][k];
                for (int j = 0; j < 64; j++) {
                    double[][] plus = {rows[i].clone()};
                    double[][] minus = {rows[i].clone()};
                    plus[0][j] += h;
                    minus[0][j] -= h;
                    double fPlus = exported(f, plus)[0][k];
                    double fMinus = exported(f, minus)[0][k];
                    // Where a ReLU or a max-pool choice flips within h, the one-sided slopes disagree and there is no
                    // derivative to compare with: only pixels where they agree are checked, and most must.
                    if (Math.abs((fPlus - f0) / h - (f0 - fMinus) / h) > 2e-3) continue;
                    smooth++;
                    worst = Math.max(worst, Math.abs((fPlus - fMinus) / (2 * h) - grad[j]));
                    scale = Math.max(scale, Math.abs(grad[j]));
                }
                double fx = exported(f, new double[][] {rows[i]})[0][k];
                double fb = exported(f, new double[][] {black})[0][k];
                largestChange = Math.max(largestChange, Math.abs(fx - fb));
                IntegratedGradients.Attribution a = new IntegratedGradients(g,
                        IntegratedGradients.Options.defaults().withSteps(256)).explain(rows[i], black, k);
                worstGap = Math.max(worstGap, a.completenessGap(fx, fb));
            }
            System.out.printf("CNN input gradient vs central differences at the %d of 256 pixels where f is smooth within"
                    + " ±h: max |difference| %.3g (largest |gradient| %.3g); Integrated Gradients from black, 256 steps:"
                    + " max completeness gap %.3g (largest change %.3f)%n", smooth, worst, scale, worstGap, largestChange);
            assertThat(smooth).isGreaterThan(230);
            assertThat(scale).isGreaterThan(1e-3);
            // pixels are in [0, 1] here, so the step is 1e-3: float noise ~1e-7 / h
            assertThat(worst).isLessThan(1e-3 + 1e-2 * scale);
            assertThat(worstGap).isLessThan(0.01 * largestChange);
        }
    }

    @Test
    void batchNormModelsAreRefusedWithTheReason() {
        ModelSpec spec = ModelSpec.of(LayerParser.parseAll(List.of("dense 8", "batchnorm", "relu")),
                LossSpec.of(LossSpec.Kind.CROSS_ENTROPY), OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.01));
        CompiledModel bn = TrainStepCompiler.compile(spec, TensorShape.of(30), 2, TrainStepCompiler.Options.TRAINING);
        java.util.Map<String, float[]> zeros = new java.util.HashMap<>();
        bn.params().forEach(p -> zeros.put(p.name(), new float[p.size()]));
        bn.buffers().forEach(p -> zeros.put(p.name(), new float[p.size()]));
        assertThatThrownBy(() -> InputGradientGraph.build(bn, zeros)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch norm").hasMessageContaining("explain.shap");
    }
}

package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.Param;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each optimizer's compiled update against its textbook formula, computed here in plain Java on a tiny model
 * (one dense layer 3 -> 2, MSE: a 3x2 weight matrix, decayed, and a bias of 2, not decayed) for six steps with
 * a changing learning rate and weight decay on. The gradient fed to the formula is the one the graph reports
 * (checked against finite differences elsewhere); the Java parameters evolve on their own, so an error in any
 * step carries on into the next comparisons. Float64 graphs; tolerance 1e-12.
 */
class OptimizerNnTest {
    @ParameterizedTest
    @EnumSource(OptimizerSpec.Kind.class)
    void updateMatchesTheTextbookFormula(OptimizerSpec.Kind kind) {
        OptimizerSpec opt = new OptimizerSpec(kind, 0.05, 0.01, 0.9, 0.8, 0.95, 0.9, 1e-6);
        ModelSpec spec = ModelSpec.of(List.of(), LossSpec.of(LossSpec.Kind.MSE), opt);
        CompiledModel m = TrainStepCompiler.compile(spec, TensorShape.of(3), 2, new TrainStepCompiler.Options(true, true));
        Map<String, GraphRunner.Input> in = GradientCheck.randomInputs(m, 4, 11);
        Map<String, double[]> ref = new HashMap<>();
        Map<String, double[][]> refState = new HashMap<>();
        for (Param p : m.params()) {
            ref.put(p.name(), in.get(p.name()).values().clone());
            refState.put(p.name(), new double[][] {new double[p.size()], new double[p.size()]});
        }
        double worst = 0;
        try (GraphRunner runner = new GraphRunner(m.trainStep(), true)) {
            for (int t = 1; t <= 6; t++) {
                double lr = opt.lr() / t;
                in.put(GraphNames.LR, new GraphRunner.Input(new double[] {lr}, new long[0]));
                in.put(GraphNames.STEP, new GraphRunner.Input(new double[] {t}, new long[0]));
                Map<String, double[]> out = runner.run(in);
                for (Param p : m.params()) {
                    double[] g = out.get(GraphNames.grad(p.name()));
                    double[] w = ref.get(p.name());
                    textbook(opt, p.decayed() ? opt.weightDecay() : 0, lr, t, w, g, refState.get(p.name()));
                    double[] got = out.get(GraphNames.next(p.name()));
                    for (int i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(got[i] - w[i]));
                    assertThat(got).as("%s step %d %s", kind, t, p.name()).containsExactly(w, org.assertj.core.data.Offset.offset(1e-12));
                }
                for (Param p : m.params()) in.put(p.name(), new GraphRunner.Input(out.get(GraphNames.next(p.name())), p.dims()));
                for (CompiledModel.StateSlot s : m.state()) {
                    in.put(s.name(), new GraphRunner.Input(out.get(GraphNames.next(s.name())), s.param().dims()));
                }
            }
        }
        System.out.printf("optimizer %-9s 6 steps, max |graph - textbook| %.2e%n", kind, worst);
        assertThat(ref.get("out.W")).as("the parameters moved").isNotEqualTo(GradientCheck.randomInputs(m, 4, 11).get("out.W").values());
    }

    /** The update rule as written in the papers / PyTorch docs, on plain arrays. */
    private static void textbook(OptimizerSpec o, double wd, double lr, int t, double[] p, double[] grad, double[][] st) {
        for (int i = 0; i < p.length; i++) {
            double g = grad[i];
            if (o.kind() != OptimizerSpec.Kind.ADAMW) g += wd * p[i];
            switch (o.kind()) {
                case SGD -> p[i] -= lr * g;
                case MOMENTUM -> {
                    st[0][i] = o.momentum() * st[0][i] + g;
                    p[i] -= lr * st[0][i];
                }
                case NESTEROV -> {
                    st[0][i] = o.momentum() * st[0][i] + g;
                    p[i] -= lr * (g + o.momentum() * st[0][i]);
                }
                case ADAM, ADAMW -> {
                    if (o.kind() == OptimizerSpec.Kind.ADAMW) p[i] -= lr * wd * p[i];
                    st[0][i] = o.beta1() * st[0][i] + (1 - o.beta1()) * g;
                    st[1][i] = o.beta2() * st[1][i] + (1 - o.beta2()) * g * g;
                    double mHat = st[0][i] / (1 - Math.pow(o.beta1(), t));
                    double vHat = st[1][i] / (1 - Math.pow(o.beta2(), t));
                    p[i] -= lr * mHat / (Math.sqrt(vHat) + o.eps());
                }
                case RMSPROP -> {
                    st[0][i] = o.rho() * st[0][i] + (1 - o.rho()) * g * g;
                    p[i] -= lr * g / (Math.sqrt(st[0][i]) + o.eps());
                }
                case ADAGRAD -> {
                    st[0][i] += g * g;
                    p[i] -= lr * g / (Math.sqrt(st[0][i]) + o.eps());
                }
            }
        }
    }
}

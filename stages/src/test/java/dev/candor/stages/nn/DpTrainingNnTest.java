package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.explain.privacy.AttackResult;
import dev.candor.explain.privacy.MembershipInference;
import dev.candor.gpu.session.Device;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.nn.train.NnData;
import dev.candor.stages.nn.train.Schedule;
import dev.candor.stages.nn.train.TrainConfig;
import dev.candor.stages.nn.train.Trainer;
import dev.candor.stages.nn.train.TrainingResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * DP-SGD end to end on breast cancer (the rows of examples/breast-cancer/data): the private model still learns,
 * leaks no more membership than the same model trained without privacy, and is bit-identical for a seed.
 */
class DpTrainingNnTest {
    static final int EPOCHS = 100;
    static final int BATCH = 64;

    static ModelSpec mlp() {
        return ModelSpec.of(LayerParser.parseAll(List.of("dense 64 relu")), LossSpec.of(LossSpec.Kind.CROSS_ENTROPY),
                OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.01));
    }

    static DpPlan plan(NnData train) {
        return DpPlan.plan(new OnnxTrainConfig.Privacy(3.0, null, 1e-5, 1.0), train.rows(), BATCH, EPOCHS);
    }

    static CompiledModel compile(DpPlan dp) {
        TrainStepCompiler.Options o = TrainStepCompiler.Options.TRAINING;
        return TrainStepCompiler.compile(mlp(), TensorShape.of(30), 2, dp == null ? o : o.withPrivacy(dp.compiled()));
    }

    static TrainConfig config(long seed, DpPlan dp) {
        TrainConfig c = new TrainConfig(EPOCHS, BATCH, seed, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1);
        return dp == null ? c : c.withPrivacy(dp.noise());
    }

    /** Test accuracy and the loss attack's result (train rows as members, test rows as non-members). */
    record Audit(double accuracy, AttackResult attack) { }

    /**
     * The loss attack (Yeom et al. 2018) on exact losses, as a white-box attacker computes them from the weights. The
     * attack uses only the order of the rows' losses, and for two classes loss = softplus(−margin), margin =
     * z_true − z_other, so ordering by margin is ordering by loss. The exported float32 probabilities (and even
     * float64 ones) round to exactly 1 for most rows of this easy task, which would tie members with non-members;
     * so each row's margin is passed to {@link MembershipInference#lossAttack} as sigmoid(margin / T), T = the largest
     * |margin| / 30: an order-preserving value in (0, 1) that does not round to 1.
     */
    static Audit audit(TrainingResult r, NnTrainingTest.Split s) {
        NnData train = s.train();
        int[] trainLabels = new int[train.rows()];
        for (int i = 0; i < trainLabels.length; i++) trainLabels[i] = train.y()[2 * i + 1] > 0.5f ? 1 : 0;
        double[] members = margins(r, train.x(), trainLabels);
        double[] nonMembers = margins(r, s.testX(), s.testY());
        int correct = 0;
        for (double m : nonMembers) if (m > 0) correct++;
        double t = 0;
        for (double m : members) t = Math.max(t, Math.abs(m) / 30);
        for (double m : nonMembers) t = Math.max(t, Math.abs(m) / 30);
        return new Audit(correct / (double) nonMembers.length,
                MembershipInference.lossAttack(squash(members, t), squash(nonMembers, t)));
    }

    static double[] squash(double[] margins, double t) {
        double[] p = new double[margins.length];
        for (int i = 0; i < p.length; i++) p[i] = 1 / (1 + Math.exp(-margins[i] / t));
        return p;
    }

    /** z_true − z_other of the one-hidden-layer ReLU MLP, in float64. */
    static double[] margins(TrainingResult r, float[] x, int[] labels) {
        float[] w1 = r.values().get("l1.dense.W");
        float[] b1 = r.values().get("l1.dense.b");
        float[] w2 = r.values().get("out.W");
        float[] b2 = r.values().get("out.b");
        int d = 30;
        int h = b1.length;
        double[] margin = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            double[] z = {b2[0], b2[1]};
            for (int j = 0; j < h; j++) {
                double a = b1[j];
                for (int k = 0; k < d; k++) a += (double) x[i * d + k] * w1[k * h + j];
                a = Math.max(a, 0);
                z[0] += a * w2[j * 2];
                z[1] += a * w2[j * 2 + 1];
            }
            margin[i] = z[labels[i]] - z[1 - labels[i]];
        }
        return margin;
    }

    /**
     * On clean breast cancer the plain model leaks almost nothing to the loss attack: the task generalizes, members
     * and non-members get the same large margins, and the attack's advantage is the sampling noise of a max over
     * thresholds of |TPR − FPR| (the two-sample Kolmogorov–Smirnov statistic: its 99 % critical value for 342 and
     * 113 rows is 1.63·√(1/342 + 1/113) ≈ 0.18). DP vs plain there compares noise with noise, so it is reported and
     * the DP model is held under that bound. The comparison the issue asks for is made where the plain model
     * measurably leaks: with 10 % of the labels flipped (train and test alike, as real labels are noisy) it
     * memorizes its flipped members, whose loss falls while flipped non-members keep a high loss; DP-SGD cannot
     * memorize single rows, so its advantage must be no larger.
     */
    @Test
    void aDpModelLearnsAndLeaksNoMoreMembershipThanWithoutPrivacy() {
        NnTrainingTest.Split clean = NnTrainingTest.breastCancer(1);
        Result c = trainBoth(clean, "clean labels");
        assertThat(c.dpSteps()).isEqualTo(c.dp().planned());
        assertThat(c.epsilon()).isLessThanOrEqualTo(3.0).isGreaterThan(2.9);
        assertThat(c.privateAudit().accuracy()).as("the private model still learns").isGreaterThanOrEqualTo(0.90);
        assertThat(c.privateAudit().attack().advantage()).as("DP advantage within the no-leak noise").isLessThan(0.18);

        Result n = trainBoth(flipped(clean, 0.10, 99), "10 % labels flipped");
        assertThat(n.plainAudit().attack().auc()).as("the plain model leaks: members have lower loss").isGreaterThan(0.55);
        assertThat(n.privateAudit().attack().advantage()).as("membership advantage with DP vs without")
                .isLessThanOrEqualTo(n.plainAudit().attack().advantage());
    }

    record Result(DpPlan dp, long dpSteps, double epsilon, Audit privateAudit, Audit plainAudit) { }

    static Result trainBoth(NnTrainingTest.Split s, String label) {
        DpPlan dp = plan(s.train());
        CompiledModel privateModel = compile(dp);
        TrainingResult r = Trainer.train(privateModel, s.train(), s.val(), config(7, dp), e -> { });
        Audit a = audit(r, s);
        double epsilon = dp.spent(r.steps()).epsilon();
        TrainingResult p = Trainer.train(compile(null), s.train(), s.val(), config(7, null), e -> { });
        Audit b = audit(p, s);
        System.out.printf("DP-SGD breast cancer, %s (%d train rows, %d test rows): ε = %.3f, δ = 1e-5, σ = %.4f,"
                        + " q = %.4f, %d steps, clip 1.0: test accuracy %.4f, loss-attack advantage %.4f (AUC %.4f);"
                        + " without DP: test accuracy %.4f, advantage %.4f (AUC %.4f)%n", label, s.train().rows(),
                s.testY().length, epsilon, dp.noiseMultiplier(), dp.samplingRate(), r.steps(), a.accuracy(),
                a.attack().advantage(), a.attack().auc(), b.accuracy(), b.attack().advantage(), b.attack().auc());
        return new Result(dp, r.steps(), epsilon, a, b);
    }

    /** The split with a fraction of train, validation and test labels flipped (seeded). */
    static NnTrainingTest.Split flipped(NnTrainingTest.Split s, double fraction, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int[] test = s.testY().clone();
        for (int i = 0; i < test.length; i++) if (random.nextDouble() < fraction) test[i] = 1 - test[i];
        return new NnTrainingTest.Split(flip(s.train(), fraction, random), flip(s.val(), fraction, random), s.testX(), test);
    }

    static NnData flip(NnData d, double fraction, java.util.SplittableRandom random) {
        float[] y = d.y().clone();
        for (int i = 0; i < d.rows(); i++) {
            if (random.nextDouble() < fraction) {
                float t = y[2 * i];
                y[2 * i] = y[2 * i + 1];
                y[2 * i + 1] = t;
            }
        }
        return new NnData(d.x(), y, d.rows(), d.inputs(), d.outputs());
    }

    @Test
    void sameSeedGivesBitIdenticalDpWeightsAndAnotherSeedDoesNot() {
        NnTrainingTest.Split s = NnTrainingTest.breastCancer(2);
        DpPlan dp = plan(s.train());
        CompiledModel m = compile(dp);
        TrainConfig short1 = new TrainConfig(3, BATCH, 5, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1).withPrivacy(dp.noise());
        TrainingResult a = Trainer.train(m, s.train(), s.val(), short1, e -> { });
        TrainingResult b = Trainer.train(m, s.train(), s.val(), short1, e -> { });
        assertThat(b.history()).isEqualTo(a.history());
        for (String k : a.values().keySet()) assertThat(b.values().get(k)).as(k).isEqualTo(a.values().get(k));
        TrainConfig short2 = new TrainConfig(3, BATCH, 6, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1).withPrivacy(dp.noise());
        TrainingResult c = Trainer.train(m, s.train(), s.val(), short2, e -> { });
        assertThat(c.values().get("out.W")).isNotEqualTo(a.values().get("out.W"));
    }
}

package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.gpu.session.Device;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.nn.train.EarlyStopping;
import dev.candor.stages.nn.train.NnData;
import dev.candor.stages.nn.train.Schedule;
import dev.candor.stages.nn.train.TrainConfig;
import dev.candor.stages.nn.train.Trainer;
import dev.candor.stages.nn.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small CNN learns the 8x8 digits (pixels 0..16 scaled to 0..1) through the compiled graphs. */
class CnnDigitsNnTest {
    @Test
    void smallCnnReachesNinetyFivePercentOnDigits() {
        CsvTable t = CsvTable.read(Path.of("src/test/resources/data/digits_8x8.csv"), Integer::parseInt);
        int[] order = t.shuffled(8);
        int n = order.length;
        int[] test = CsvTable.range(order, 0, n / 5);
        int[] val = CsvTable.range(order, n / 5, 2 * n / 5);
        int[] train = CsvTable.range(order, 2 * n / 5, n);
        NnData tr = NnData.classes(t.scaled(train, 16f), t.labelsOf(train), 64, 10);
        NnData va = NnData.classes(t.scaled(val, 16f), t.labelsOf(val), 64, 10);
        ModelSpec spec = ModelSpec.of(LayerParser.parseAll(List.of("conv 16 3x3 relu", "maxpool 2", "conv 32 3x3 relu",
                        "flatten", "dense 64 relu")), LossSpec.of(LossSpec.Kind.CROSS_ENTROPY),
                OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.002));
        CompiledModel m = TrainStepCompiler.compile(spec, TensorShape.of(1, 8, 8), 10, TrainStepCompiler.Options.TRAINING);
        TrainingResult r = Trainer.train(m, tr, va, new TrainConfig(30, 32, 5, new Schedule(Schedule.Kind.COSINE, 1, 1, 0, 1),
                Optional.of(new EarlyStopping("val_loss", 5, 0)), Device.CPU, 1), e -> { });

        double[] p = NnTrainingTest.predict(m, r.values(), t.scaled(test, 16f), test.length);
        int[] y = t.labelsOf(test);
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++) if (p[i * 10 + k] > p[i * 10 + best]) best = k;
            if (best == y[i]) correct++;
        }
        double accuracy = correct / (double) y.length;
        System.out.printf("digits CNN: %d epochs run, best epoch %d (val acc %.4f), test accuracy %.4f (%d/%d),"
                        + " %.0f train steps/s (batch 32, 1 thread, %s)%n", r.history().size(), r.bestEpoch(),
                r.history().get(r.bestEpoch()).valAccuracy(), accuracy, correct, y.length, r.stepsPerSecond(), r.device());
        assertThat(accuracy).isGreaterThanOrEqualTo(0.95);
    }
}

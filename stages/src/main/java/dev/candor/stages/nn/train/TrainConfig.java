package dev.candor.stages.nn.train;

import dev.candor.gpu.session.Device;
import java.util.Optional;

/**
 * How to run training.
 *
 * @param earlyStopping empty to train all epochs (the last weights are kept)
 * @param threads       ONNX Runtime intra-op threads
 */
public record TrainConfig(int epochs, int batch, long seed, Schedule schedule, Optional<EarlyStopping> earlyStopping,
                          Device device, int threads) {
    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (schedule == null) schedule = Schedule.CONSTANT;
        if (earlyStopping == null) earlyStopping = Optional.empty();
        if (device == null) device = Device.AUTO;
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
}

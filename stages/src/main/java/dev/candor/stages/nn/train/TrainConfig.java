package dev.candor.stages.nn.train;

import dev.candor.gpu.session.Device;
import java.util.Optional;

/**
 * How to run training.
 *
 * @param earlyStopping empty to train all epochs (the last weights are kept)
 * @param threads       ONNX Runtime intra-op threads
 * @param privacy       DP-SGD's noise: Poisson-sampled batches and Gaussian noise (the model must be compiled with
 *                      DP-SGD and the same clip norm); empty for plain training
 * @param stepsPerCall  train steps per {@code OrtSession.run}: 1 runs the single-step graph; K &gt; 1 runs K
 *                      full batches in one call of the {@code Loop} graph (parameters stay inside ONNX Runtime for
 *                      the K steps, on a GPU on the device); same results as 1. DP-SGD's Poisson batches vary in
 *                      size, so they always run one step per call
 */
public record TrainConfig(int epochs, int batch, long seed, Schedule schedule, Optional<EarlyStopping> earlyStopping,
                          Device device, int threads, Optional<DpNoise> privacy, int stepsPerCall) {
    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (schedule == null) schedule = Schedule.CONSTANT;
        if (earlyStopping == null) earlyStopping = Optional.empty();
        if (device == null) device = Device.AUTO;
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (privacy == null) privacy = Optional.empty();
        if (stepsPerCall < 1) throw new IllegalArgumentException("steps per call must be >= 1, got " + stepsPerCall);
    }

    /** Without choosing steps per call (1). */
    public TrainConfig(int epochs, int batch, long seed, Schedule schedule, Optional<EarlyStopping> earlyStopping,
                       Device device, int threads, Optional<DpNoise> privacy) {
        this(epochs, batch, seed, schedule, earlyStopping, device, threads, privacy, 1);
    }

    /** Plain training, without DP-SGD. */
    public TrainConfig(int epochs, int batch, long seed, Schedule schedule, Optional<EarlyStopping> earlyStopping,
                       Device device, int threads) {
        this(epochs, batch, seed, schedule, earlyStopping, device, threads, Optional.empty());
    }

    /** The same with DP-SGD noise. */
    public TrainConfig withPrivacy(DpNoise dp) {
        return new TrainConfig(epochs, batch, seed, schedule, earlyStopping, device, threads, Optional.of(dp), stepsPerCall);
    }

    /** The same running {@code k} steps per {@code OrtSession.run}. */
    public TrainConfig withStepsPerCall(int k) {
        return new TrainConfig(epochs, batch, seed, schedule, earlyStopping, device, threads, privacy, k);
    }

    /**
     * DP-SGD's sampling and noise (Abadi et al. 2016): each row joins a step's batch independently with
     * probability q = batch / rows, and the clipped gradient sum gets N(0, (noiseMultiplier · clip)²) per value.
     *
     * @param noiseMultiplier σ, &gt;= 0 (0 only for tests: it clips without privacy)
     * @param clip            the per-example clip norm C the model was compiled with
     */
    public record DpNoise(double noiseMultiplier, double clip) {
        public DpNoise {
            if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
                throw new IllegalArgumentException("noise multiplier must be a number >= 0, got " + noiseMultiplier);
            }
            if (!(clip > 0) || Double.isInfinite(clip)) throw new IllegalArgumentException("clip must be > 0, got " + clip);
        }
    }
}

package dev.candor.stages.nn;

import dev.candor.explain.privacy.RdpAccountant;
import dev.candor.stages.nn.compile.DpSgd;
import dev.candor.stages.nn.model.LayerSpec;
import dev.candor.stages.nn.train.TrainConfig;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.StageContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DP-SGD plan of one {@code train.onnx} run (Abadi et al. 2016, "Deep Learning with Differential Privacy"):
 * sampling rate q = batch / rows (Poisson sampling), ⌈rows / batch⌉ steps per epoch, the noise multiplier σ (given,
 * or the smallest that meets the target ε over the planned steps), and the privacy spent, accounted with Rényi DP
 * (Mironov 2017, "Rényi Differential Privacy"; the sampled Gaussian mechanism of Mironov, Talwar, Zhang 2019) over
 * the steps actually run and converted to (ε, δ) with the conversion of Balle et al. 2020
 * ({@link RdpAccountant.Conversion#IMPROVED}).
 *
 * @param planned the steps if every epoch runs; σ is chosen for these, so early stopping can only spend less
 */
record DpPlan(double noiseMultiplier, double delta, double clip, double samplingRate, int expectedBatch, long planned,
              boolean targetGiven, int rows) {
    /** The result names of the privacy spent, recorded without a split. */
    static final List<String> METRICS = List.of("privacy.epsilon", "privacy.delta", "privacy.noise_multiplier",
            "privacy.clip", "privacy.sampling_rate", "privacy.steps");

    static final RdpAccountant.Conversion CONVERSION = RdpAccountant.Conversion.IMPROVED;

    /** σ is searched to this absolute precision; the returned σ always meets the target. */
    static final double SIGMA_TOLERANCE = 1e-4;

    static DpPlan plan(OnnxTrainConfig.Privacy p, int rows, int batch, int epochs) {
        int expected = Math.min(batch, rows);
        double q = expected / (double) rows;
        long planned = (long) epochs * ((rows + expected - 1) / expected);
        double sigma;
        if (p.noiseMultiplier() != null) {
            sigma = p.noiseMultiplier();
        } else {
            try {
                sigma = RdpAccountant.noiseMultiplier(p.epsilon(), q, planned, p.delta(), RdpAccountant.DEFAULT_ORDERS,
                        CONVERSION, SIGMA_TOLERANCE);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("privacy", "epsilon " + p.epsilon() + " cannot be met over " + planned
                        + " steps (" + epochs + " epochs of " + rows + " rows, batch " + expected + "): " + e.getMessage());
            }
        }
        return new DpPlan(sigma, p.delta(), p.clip(), q, expected, planned, p.epsilon() != null, rows);
    }

    /**
     * @throws ConfigException at {@code privacy} naming the first layer DP-SGD cannot train, and why
     */
    static void checkLayers(List<LayerSpec> layers) {
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec s = layers.get(i);
            String why = s instanceof LayerSpec.BatchNorm ? "batch norm normalizes each example with statistics of the"
                    + " whole batch, so an example's gradient depends on the others and cannot be clipped on its own"
                    : s instanceof LayerSpec.Conv2d ? "per-example gradients of convolutions are not compiled yet"
                    : s instanceof LayerSpec.Pool ? "pooling belongs to convolutional models, whose per-example gradients"
                    + " are not compiled yet"
                    : null;
            if (why != null) {
                throw new ConfigException("privacy", "layer " + (i + 1) + " '" + s.text() + "' cannot be trained with"
                        + " DP-SGD: " + why + "; use dense, activation and dropout layers, or remove privacy");
            }
        }
    }

    DpSgd compiled() {
        return new DpSgd(clip, expectedBatch);
    }

    TrainConfig.DpNoise noise() {
        return new TrainConfig.DpNoise(noiseMultiplier, clip);
    }

    RdpAccountant.Spent spent(long steps) {
        return RdpAccountant.epsilon(samplingRate, noiseMultiplier, steps, delta, RdpAccountant.DEFAULT_ORDERS, CONVERSION);
    }

    /** Records the privacy spent by {@code steps} steps, and the findings a reviewer must read with it. */
    void record(long steps, boolean earlyStopping, StageContext context) {
        RdpAccountant.Spent spent = spent(steps);
        context.metrics().record("privacy.epsilon", spent.epsilon(), null);
        context.metrics().record("privacy.delta", delta, null);
        context.metrics().record("privacy.noise_multiplier", noiseMultiplier, null);
        context.metrics().record("privacy.clip", clip, null);
        context.metrics().record("privacy.sampling_rate", samplingRate, null);
        context.metrics().record("privacy.steps", steps, null);
        context.findings().info("privacy.spent", "model", String.format(Locale.ROOT, "trained with DP-SGD: (ε = %.4g, δ = %.3g)"
                        + " over %d steps at sampling rate %.4g, noise multiplier %.4g, clip %.4g (Rényi DP accountant,"
                        + " %s conversion, best order %.4g)%s", spent.epsilon(), delta, steps, samplingRate,
                noiseMultiplier, clip, CONVERSION.name().toLowerCase(Locale.ROOT), spent.order(),
                earlyStopping ? "; early stopping kept an earlier epoch's weights, but ε counts every step run" : ""));
        if (!spent.note().isEmpty()) context.findings().warn("privacy.orders", "model", spent.note());
        if (delta >= 1.0 / rows) {
            context.findings().warn("privacy.delta", "model", "δ = " + delta + " is not below 1 / " + rows
                    + " training rows: a mechanism that publishes one random row outright meets it; choose δ < "
                    + String.format(Locale.ROOT, "%.2g", 1.0 / rows));
        }
    }

    Map<String, String> facts(long steps) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("privacy_epsilon", Double.toString(spent(steps).epsilon()));
        f.put("privacy_delta", Double.toString(delta));
        f.put("privacy_noise_multiplier", Double.toString(noiseMultiplier));
        f.put("privacy_clip", Double.toString(clip));
        f.put("privacy_steps", Long.toString(steps));
        return f;
    }
}

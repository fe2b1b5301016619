package dev.candor.stages.nn.train;

import java.util.List;
import java.util.Map;

/**
 * What training produced.
 *
 * @param values         the kept parameters and buffers by name (the best epoch's under early stopping)
 * @param history        one entry per epoch run
 * @param bestEpoch      the epoch whose weights were kept
 * @param device         where the train step ran ({@code cpu} or {@code cuda:N})
 * @param stepsPerSecond train steps per second of wall time, validation excluded
 * @param steps          train steps actually run (all of them, also those after the kept epoch: a DP accountant
 *                       must count every step whose update was computed)
 */
public record TrainingResult(Map<String, float[]> values, List<EpochMetrics> history, int bestEpoch, String device,
                             double stepsPerSecond, long steps) {
    public TrainingResult {
        values = Map.copyOf(values);
        history = List.copyOf(history);
    }
}

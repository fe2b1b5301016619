package dev.candor.stages.nn.train;

import java.util.Locale;

/**
 * Stops training when the monitored validation metric has not improved by more than {@code minDelta} for
 * {@code patience} epochs; the weights of the best epoch are restored.
 *
 * @param monitor {@code val_loss} (lower is better) or {@code val_accuracy} (higher is better)
 */
public record EarlyStopping(String monitor, int patience, double minDelta) {
    public EarlyStopping {
        monitor = monitor == null ? "val_loss" : monitor.toLowerCase(Locale.ROOT);
        if (!monitor.equals("val_loss") && !monitor.equals("val_accuracy")) {
            throw new IllegalArgumentException("early_stopping.monitor must be val_loss or val_accuracy, got '" + monitor + "'");
        }
        if (patience < 1) throw new IllegalArgumentException("early_stopping.patience must be >= 1, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("early_stopping.min_delta must be >= 0, got " + minDelta);
    }

    boolean lowerIsBetter() {
        return monitor.equals("val_loss");
    }

    /** The metric's value in an epoch's record. */
    double value(EpochMetrics m) {
        return lowerIsBetter() ? m.valLoss() : m.valAccuracy();
    }

    boolean improves(double candidate, double best) {
        return lowerIsBetter() ? candidate < best - minDelta : candidate > best + minDelta;
    }
}

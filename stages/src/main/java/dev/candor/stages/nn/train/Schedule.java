package dev.candor.stages.nn.train;

/**
 * The learning rate over training: an optional linear warm-up over the first {@code warmupEpochs} (per step,
 * from lr/steps up to lr), then constant, step decay ({@code lr * gamma^(floor(epoch / stepEpochs))}) or cosine
 * annealing to {@code minLr} over the remaining epochs (Loshchilov &amp; Hutter 2017, without restarts).
 */
public record Schedule(Kind kind, int stepEpochs, double gamma, double minLr, int warmupEpochs) {
    /** The decay after warm-up. */
    public enum Kind { CONSTANT, STEP, COSINE }

    public Schedule {
        if (kind == null) throw new IllegalArgumentException("a schedule needs a kind: constant, step or cosine");
        if (kind == Kind.STEP && stepEpochs < 1) {
            throw new IllegalArgumentException("step schedule needs step_epochs >= 1, got " + stepEpochs);
        }
        if (!(gamma > 0 && gamma <= 1) && kind == Kind.STEP) {
            throw new IllegalArgumentException("step schedule needs gamma in (0, 1], got " + gamma);
        }
        if (!(minLr >= 0)) throw new IllegalArgumentException("min_lr must be >= 0, got " + minLr);
        if (warmupEpochs < 0) throw new IllegalArgumentException("warmup_epochs must be >= 0, got " + warmupEpochs);
    }

    public static final Schedule CONSTANT = new Schedule(Kind.CONSTANT, 1, 1, 0, 0);

    /**
     * The learning rate of one step.
     *
     * @param epoch         0-based epoch
     * @param step          0-based step within the epoch
     * @param stepsPerEpoch steps in one epoch
     * @param epochs        total epochs planned
     */
    public double lr(double base, int epoch, int step, int stepsPerEpoch, int epochs) {
        if (epoch < warmupEpochs) {
            long warmSteps = (long) warmupEpochs * stepsPerEpoch;
            return base * ((long) epoch * stepsPerEpoch + step + 1) / warmSteps;
        }
        int e = epoch - warmupEpochs;
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(gamma, e / stepEpochs);
            case COSINE -> {
                int span = Math.max(1, epochs - warmupEpochs);
                yield minLr + 0.5 * (base - minLr) * (1 + Math.cos(Math.PI * e / span));
            }
        };
    }
}

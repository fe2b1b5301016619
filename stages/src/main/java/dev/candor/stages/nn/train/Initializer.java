package dev.candor.stages.nn.train;

import dev.candor.stages.nn.compile.Param;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded initial values: He normal (He et al. 2015), Xavier/Glorot uniform (Glorot &amp; Bengio 2010), 0, 1. */
public final class Initializer {
    private Initializer() {
    }

    public static float[] values(Param p, SplittableRandom random) {
        float[] v = new float[p.size()];
        switch (p.init()) {
            case HE -> {
                double std = Math.sqrt(2.0 / p.fanIn());
                for (int i = 0; i < v.length; i++) v[i] = (float) (random.nextGaussian() * std);
            }
            case XAVIER -> {
                double limit = Math.sqrt(6.0 / (p.fanIn() + p.fanOut()));
                for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
            case ZEROS -> Arrays.fill(v, 0f);
            case ONES -> Arrays.fill(v, 1f);
        }
        return v;
    }
}

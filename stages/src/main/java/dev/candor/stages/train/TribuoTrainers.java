package dev.candor.stages.train;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.common.xgboost.XGBoostTrainer;
import org.tribuo.math.optimisers.AdaGrad;

/** Builds the Tribuo trainer a {@link TribuoTrainConfig} describes. Every random choice comes from {@code seed}. */
final class TribuoTrainers {
    /** Tribuo's SGD trainers skip their progress log with this interval (algorithms don't log). */
    private static final int NO_LOGGING = -1;

    private TribuoTrainers() {
    }

    static Trainer<Label> create(TribuoTrainConfig c, long seed) {
        return switch (c.algorithm()) {
            case LOGISTIC_REGRESSION -> new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(c.learningRate()),
                    c.epochs(), NO_LOGGING, c.minibatch(), seed);
            case CART -> cart(c, seed);
            case RANDOM_FOREST -> new RandomForestTrainer<>(cart(c, seed), new FullyWeightedVotingCombiner(), c.trees(), seed);
            // One thread: XGBoost's multi-threaded sums are not bit-for-bit reproducible.
            case XGBOOST -> new XGBoostClassificationTrainer(XGBoostTrainer.BoosterType.GBTREE,
                    XGBoostTrainer.TreeMethod.EXACT, c.trees(), c.eta(), c.gamma(), c.maxDepth(), c.minChildWeight(),
                    c.subsample(), 1.0, c.l2(), 0.0, 1, XGBoostTrainer.LoggingVerbosity.SILENT, seed);
        };
    }

    private static CARTClassificationTrainer cart(TribuoTrainConfig c, long seed) {
        return new CARTClassificationTrainer(c.maxDepth(), c.minChildWeight().floatValue(), 0.0f,
                c.featureFraction().floatValue(), false, new GiniIndex(), seed);
    }
}

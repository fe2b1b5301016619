package dev.candor.stages.train;

import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.Required;

/**
 * Configuration of {@code train.tribuo}. Hyperparameters are flat keys; each applies to some algorithms only, and
 * writing one that does not apply to the chosen algorithm is an error (so a typo'd intent is never ignored).
 */
@Doc("Trains a classical model with Tribuo and exports it to ONNX")
public record TribuoTrainConfig(
        @Required @Doc("logistic-regression, cart, random-forest or xgboost") Algorithm algorithm,
        @Doc("logistic-regression: passes over the training data (default 30)") Integer epochs,
        @Doc("logistic-regression: AdaGrad learning rate (default 0.5)") Double learningRate,
        @Doc("logistic-regression: examples per gradient step (default 16)") Integer minibatch,
        @Doc("cart, random-forest, xgboost: maximum tree depth (default 6)") Integer maxDepth,
        @Doc("cart, random-forest, xgboost: minimum example weight in a leaf (default 5 for trees, 1 for xgboost)") Double minChildWeight,
        @Doc("random-forest, xgboost: number of trees (default 100)") Integer trees,
        @Doc("cart, random-forest: fraction of features considered at each split (default 1.0 for cart, 0.5 for random-forest)") Double featureFraction,
        @Doc("xgboost: learning rate, eta (default 0.3)") Double eta,
        @Doc("xgboost: row subsample per tree (default 1.0)") Double subsample,
        @Doc("xgboost: minimum loss reduction to split, gamma (default 0)") Double gamma,
        @Doc("xgboost: L2 regularization, lambda (default 1)") Double l2) {
}

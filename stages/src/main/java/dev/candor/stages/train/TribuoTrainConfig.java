package dev.candor.stages.train;

import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.Required;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Configuration of {@code train.tribuo}. Hyperparameters are flat keys; each applies to some algorithms only, and
 * writing one that does not apply to the chosen algorithm is an error (so a typo'd intent is never ignored). Keys
 * left out get the algorithm's default; keys that do not apply stay null.
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

    private static final Set<Algorithm> LR = EnumSet.of(Algorithm.LOGISTIC_REGRESSION);
    private static final Set<Algorithm> TREES = EnumSet.of(Algorithm.CART, Algorithm.RANDOM_FOREST, Algorithm.XGBOOST);
    private static final Set<Algorithm> ENSEMBLES = EnumSet.of(Algorithm.RANDOM_FOREST, Algorithm.XGBOOST);
    private static final Set<Algorithm> CART_LIKE = EnumSet.of(Algorithm.CART, Algorithm.RANDOM_FOREST);
    private static final Set<Algorithm> XGB = EnumSet.of(Algorithm.XGBOOST);

    public TribuoTrainConfig {
        if (algorithm == null) {
            throw new ConfigException("algorithm", "is required: one of " + Arrays.stream(Algorithm.values())
                    .map(Algorithm::label).collect(Collectors.joining(", ")));
        }
        Algorithm a = algorithm;
        epochs = applies(a, "epochs", epochs, LR, 30);
        learningRate = applies(a, "learning_rate", learningRate, LR, 0.5);
        minibatch = applies(a, "minibatch", minibatch, LR, 16);
        maxDepth = applies(a, "max_depth", maxDepth, TREES, 6);
        minChildWeight = applies(a, "min_child_weight", minChildWeight, TREES, a == Algorithm.XGBOOST ? 1.0 : 5.0);
        trees = applies(a, "trees", trees, ENSEMBLES, 100);
        featureFraction = applies(a, "feature_fraction", featureFraction, CART_LIKE, a == Algorithm.CART ? 1.0 : 0.5);
        eta = applies(a, "eta", eta, XGB, 0.3);
        subsample = applies(a, "subsample", subsample, XGB, 1.0);
        gamma = applies(a, "gamma", gamma, XGB, 0.0);
        l2 = applies(a, "l2", l2, XGB, 1.0);

        if (epochs != null) range("epochs", epochs, 1, 10_000);
        if (learningRate != null && !(learningRate > 0 && learningRate <= 10)) {
            throw new ConfigException("learning_rate", "must be in (0, 10], got " + learningRate);
        }
        if (minibatch != null) range("minibatch", minibatch, 1, 100_000);
        if (maxDepth != null) range("max_depth", maxDepth, 1, 64);
        if (minChildWeight != null && !(minChildWeight >= 0 && minChildWeight <= 1e6)) {
            throw new ConfigException("min_child_weight", "must be in [0, 1000000], got " + minChildWeight);
        }
        if (trees != null) range("trees", trees, 1, 10_000);
        if (featureFraction != null) {
            // Tribuo's random forest refuses members that see every feature at each split: use cart for that.
            boolean forest = a == Algorithm.RANDOM_FOREST;
            if (!(featureFraction > 0 && (forest ? featureFraction < 1 : featureFraction <= 1))) {
                throw new ConfigException("feature_fraction", "must be in " + (forest ? "(0, 1)" : "(0, 1]")
                        + " for " + a.label() + ", got " + featureFraction
                        + (forest && featureFraction == 1 ? " (a forest needs random feature subsets; use cart for one tree on all features)" : ""));
            }
        }
        if (eta != null && !(eta > 0 && eta <= 1)) throw new ConfigException("eta", "must be in (0, 1], got " + eta);
        if (subsample != null && !(subsample > 0 && subsample <= 1)) {
            throw new ConfigException("subsample", "must be in (0, 1], got " + subsample);
        }
        if (gamma != null && !(gamma >= 0 && gamma <= 1e6)) throw new ConfigException("gamma", "must be in [0, 1000000], got " + gamma);
        if (l2 != null && !(l2 >= 0 && l2 <= 1e6)) throw new ConfigException("l2", "must be in [0, 1000000], got " + l2);
    }

    /** A config with every default of {@code algorithm}. */
    public static TribuoTrainConfig defaults(Algorithm algorithm) {
        return new TribuoTrainConfig(algorithm, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The value, or the default when absent; an error when set for an algorithm the key does not apply to. */
    private static <V> V applies(Algorithm algorithm, String key, V value, Set<Algorithm> appliesTo, V fallback) {
        if (appliesTo.contains(algorithm)) return value == null ? fallback : value;
        if (value != null) {
            String list = appliesTo.stream().map(Algorithm::label).collect(Collectors.joining(", "));
            throw new ConfigException(key, "applies to " + list + " only, not to " + algorithm.label()
                    + ": remove it, or choose " + (appliesTo.size() == 1 ? "that algorithm" : "one of those algorithms"));
        }
        return null;
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, "must be in [" + min + ", " + max + "], got " + value);
        }
    }
}

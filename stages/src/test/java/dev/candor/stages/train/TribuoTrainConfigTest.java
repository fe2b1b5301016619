package dev.candor.stages.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.stages.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TribuoTrainConfigTest {

    private static TribuoTrainConfig of(Algorithm a, Integer epochs, Double learningRate, Integer minibatch,
                                        Integer maxDepth, Double minChildWeight, Integer trees, Double featureFraction,
                                        Double eta, Double subsample, Double gamma, Double l2) {
        return new TribuoTrainConfig(a, epochs, learningRate, minibatch, maxDepth, minChildWeight, trees,
                featureFraction, eta, subsample, gamma, l2);
    }

    private static void fails(Executable build, String key, String... fragments) {
        assertThatThrownBy(build::execute).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.getMessage()).contains(fragments);
        });
    }

    @Test
    void eachAlgorithmGetsItsDefaultsAndOnlyItsKeys() {
        TribuoTrainConfig lr = TribuoTrainConfig.defaults(Algorithm.LOGISTIC_REGRESSION);
        assertThat(lr).isEqualTo(of(Algorithm.LOGISTIC_REGRESSION, 30, 0.5, 16, null, null, null, null, null, null, null, null));

        TribuoTrainConfig cart = TribuoTrainConfig.defaults(Algorithm.CART);
        assertThat(cart).isEqualTo(of(Algorithm.CART, null, null, null, 6, 5.0, null, 1.0, null, null, null, null));

        TribuoTrainConfig rf = TribuoTrainConfig.defaults(Algorithm.RANDOM_FOREST);
        assertThat(rf).isEqualTo(of(Algorithm.RANDOM_FOREST, null, null, null, 6, 5.0, 100, 0.5, null, null, null, null));

        TribuoTrainConfig xgb = TribuoTrainConfig.defaults(Algorithm.XGBOOST);
        assertThat(xgb).isEqualTo(of(Algorithm.XGBOOST, null, null, null, 6, 1.0, 100, null, 0.3, 1.0, 0.0, 1.0));
    }

    @Test
    void writtenValuesAreKept() {
        TribuoTrainConfig c = of(Algorithm.XGBOOST, null, null, null, 3, 2.0, 7, null, 0.1, 0.8, 0.5, 2.0);
        assertThat(c.maxDepth()).isEqualTo(3);
        assertThat(c.trees()).isEqualTo(7);
        assertThat(c.eta()).isEqualTo(0.1);
        assertThat(c.subsample()).isEqualTo(0.8);
        assertThat(c.gamma()).isEqualTo(0.5);
        assertThat(c.l2()).isEqualTo(2.0);
    }

    @Test
    void aKeyForAnotherAlgorithmIsAnErrorNamingWhereItApplies() {
        fails(() -> of(Algorithm.LOGISTIC_REGRESSION, null, null, null, null, null, 50, null, null, null, null, null),
                "trees", "applies to random-forest, xgboost only, not to logistic-regression");
        fails(() -> of(Algorithm.CART, 10, null, null, null, null, null, null, null, null, null, null),
                "epochs", "applies to logistic-regression only, not to cart");
        fails(() -> of(Algorithm.XGBOOST, null, null, null, null, null, null, 0.5, null, null, null, null),
                "feature_fraction", "applies to cart, random-forest only, not to xgboost");
        fails(() -> of(Algorithm.RANDOM_FOREST, null, null, null, null, null, null, null, 0.1, null, null, null),
                "eta", "applies to xgboost only, not to random-forest");
        fails(() -> of(Algorithm.LOGISTIC_REGRESSION, null, null, null, 4, null, null, null, null, null, null, null),
                "max_depth", "applies to cart, random-forest, xgboost only");
    }

    @Test
    void outOfRangeValuesNameTheRange() {
        fails(() -> of(Algorithm.LOGISTIC_REGRESSION, 0, null, null, null, null, null, null, null, null, null, null),
                "epochs", "must be in [1, 10000], got 0");
        fails(() -> of(Algorithm.LOGISTIC_REGRESSION, null, 0.0, null, null, null, null, null, null, null, null, null),
                "learning_rate", "must be in (0, 10], got 0.0");
        fails(() -> of(Algorithm.LOGISTIC_REGRESSION, null, Double.NaN, null, null, null, null, null, null, null, null, null),
                "learning_rate", "got NaN");
        fails(() -> of(Algorithm.LOGISTIC_REGRESSION, null, null, 0, null, null, null, null, null, null, null, null),
                "minibatch", "must be in [1, 100000], got 0");
        fails(() -> of(Algorithm.CART, null, null, null, 0, null, null, null, null, null, null, null),
                "max_depth", "must be in [1, 64], got 0");
        fails(() -> of(Algorithm.CART, null, null, null, null, -1.0, null, null, null, null, null, null),
                "min_child_weight", "must be in [0, 1000000], got -1.0");
        fails(() -> of(Algorithm.XGBOOST, null, null, null, null, null, 0, null, null, null, null, null),
                "trees", "must be in [1, 10000], got 0");
        fails(() -> of(Algorithm.CART, null, null, null, null, null, null, 1.5, null, null, null, null),
                "feature_fraction", "must be in (0, 1] for cart, got 1.5");
        fails(() -> of(Algorithm.RANDOM_FOREST, null, null, null, null, null, null, 1.0, null, null, null, null),
                "feature_fraction", "must be in (0, 1) for random-forest, got 1.0", "use cart");
        fails(() -> of(Algorithm.XGBOOST, null, null, null, null, null, null, null, 0.0, null, null, null),
                "eta", "must be in (0, 1], got 0.0");
        fails(() -> of(Algorithm.XGBOOST, null, null, null, null, null, null, null, null, 1.2, null, null),
                "subsample", "must be in (0, 1], got 1.2");
        fails(() -> of(Algorithm.XGBOOST, null, null, null, null, null, null, null, null, null, -0.1, null),
                "gamma", "must be in [0, 1000000], got -0.1");
        fails(() -> of(Algorithm.XGBOOST, null, null, null, null, null, null, null, null, null, null, -1.0),
                "l2", "must be in [0, 1000000], got -1.0");
    }

    @Test
    void theAlgorithmIsRequiredAndListedAsWrittenInYaml() {
        fails(() -> of(null, null, null, null, null, null, null, null, null, null, null, null),
                "algorithm", "is required: one of logistic-regression, cart, random-forest, xgboost");
        assertThat(Algorithm.RANDOM_FOREST.label()).isEqualTo("random-forest");
    }
}

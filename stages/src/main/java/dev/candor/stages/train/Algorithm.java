package dev.candor.stages.train;

/** The model families {@code train.tribuo} trains. */
public enum Algorithm {
    LOGISTIC_REGRESSION, CART, RANDOM_FOREST, XGBOOST
}

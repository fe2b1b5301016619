package dev.candor.stages.train;

import java.util.Locale;

/** The model families {@code train.tribuo} trains. In YAML they are written in lower case with hyphens. */
public enum Algorithm {
    LOGISTIC_REGRESSION, CART, RANDOM_FOREST, XGBOOST;

    /** The name written in YAML and shown in messages, such as {@code logistic-regression}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

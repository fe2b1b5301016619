package dev.candor.stages.ingest;

import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;

/** The fractions of rows per split; stratified by label, drawn from the pipeline seed. */
@Doc("Fractions of rows for the train, validation and test splits (stratified by label; they must add up to 1)")
public record SplitConfig(
        @Doc("Fraction of rows to train on (default 0.7)") Double train,
        @Doc("Fraction of rows for validation (default 0.1; may be 0)") Double validation,
        @Doc("Fraction of rows for the final test (default 0.2)") Double test) {

    public SplitConfig {
        train = train == null ? 0.7 : train;
        validation = validation == null ? 0.1 : validation;
        test = test == null ? 0.2 : test;
        if (!(train > 0 && train < 1)) throw new ConfigException("train", "must be in (0, 1), got " + train);
        if (!(validation >= 0 && validation < 1)) throw new ConfigException("validation", "must be in [0, 1), got " + validation);
        if (!(test > 0 && test < 1)) throw new ConfigException("test", "must be in (0, 1), got " + test);
        if (Math.abs(train + validation + test - 1.0) > 1e-9) {
            throw new ConfigException("train", "train + validation + test must be 1, got " + (train + validation + test));
        }
    }

    public static SplitConfig defaults() {
        return new SplitConfig(null, null, null);
    }
}

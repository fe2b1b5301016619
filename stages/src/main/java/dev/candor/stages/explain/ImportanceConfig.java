package dev.candor.stages.explain;

import dev.candor.stages.data.Split;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import java.util.Locale;

/** Configuration of {@code explain.importance}. */
@Doc("Measures each feature's global importance as the drop of a score when its values are shuffled")
public record ImportanceConfig(
        @Doc("The split scored: test (default), validation or train") Split split,
        @Doc("Independent shuffles per feature (default 5); their spread is reported") Integer repeats,
        @Doc("The score whose drop is measured: accuracy (default) or log-loss (minus the mean log loss)") Score score,
        @Doc("The most rows scored (default 100000); a larger split is sampled with the stage seed") Integer rows) {

    public static final int DEFAULT_REPEATS = 5;
    public static final int MAX_REPEATS = 1000;
    public static final int DEFAULT_ROWS = 100_000;
    public static final int MAX_ROWS = 10_000_000;

    /** The score whose drop measures importance; higher is better for both. */
    public enum Score {
        /** The fraction of rows whose most probable class is the label. */
        ACCURACY,
        /** Minus the mean log loss of the label's probability. */
        LOG_LOSS;

        public String label() {
            // as the pipeline spells enum values in YAML
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public ImportanceConfig {
        split = split == null ? Split.TEST : split;
        repeats = repeats == null ? DEFAULT_REPEATS : repeats;
        range("repeats", repeats, 1, MAX_REPEATS);
        score = score == null ? Score.ACCURACY : score;
        rows = rows == null ? DEFAULT_ROWS : rows;
        range("rows", rows, 1, MAX_ROWS);
    }

    /** Every key at its default. */
    public static ImportanceConfig defaults() {
        return new ImportanceConfig(null, null, null, null);
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, "must be in [" + min + ", " + max + "], got " + value);
        }
    }
}

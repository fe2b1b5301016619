package dev.candor.stages.explain;

import dev.candor.stages.data.Split;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.Required;
import java.util.Map;
import java.util.TreeMap;

/** Configuration of {@code explain.reasons}. */
@Doc("Reason codes for adverse decisions: per rejected row, the features that pushed its score toward rejection")
public record ReasonsConfig(
        @Required @Doc("The class whose probability means rejection, e.g. bad") String adverseClass,
        @Doc("A row is adverse when P(adverse_class) >= threshold (default 0.5)") Double threshold,
        @Doc("The most reasons per adverse row (default 4, the usual number of principal reasons)") Integer top,
        @Doc("A readable statement per source column, e.g. {duration: Loan duration is too long}; others get a generic one") Map<String, String> statements,
        @Doc("The split whose rows are decided: test (default), validation or train") Split split,
        @Doc("The most rows to decide (default 1000); a larger split is sampled with the stage seed") Integer rows,
        @Doc("auto (default: tree for tree models, linear for models linear in log-odds, kernel otherwise), kernel or tree") ShapConfig.Method method,
        @Doc("kernel: background rows drawn from the train split (default 100)") Integer background,
        @Doc("kernel: how the background is summarized: sample (default) or kmeans (weighted centres)") ShapConfig.BackgroundMethod backgroundMethod,
        @Doc("kernel: coalitions evaluated per row when there are more than 14 features (default 2 × features + 2048)") Integer samples) {

    public static final double DEFAULT_THRESHOLD = 0.5;
    public static final int DEFAULT_TOP = 4;
    public static final int MAX_TOP = 100;
    public static final int DEFAULT_ROWS = 1000;

    public ReasonsConfig {
        if (adverseClass == null || adverseClass.isBlank()) {
            throw new ConfigException("adverse_class", "is missing or blank: name the model's class whose probability"
                    + " means rejection, e.g. adverse_class: bad");
        }
        threshold = threshold == null ? DEFAULT_THRESHOLD : threshold;
        if (!(threshold > 0 && threshold <= 1)) {
            throw new ConfigException("threshold", "must be in (0, 1], got " + threshold);
        }
        top = top == null ? DEFAULT_TOP : top;
        if (top < 1 || top > MAX_TOP) throw new ConfigException("top", "must be in [1, " + MAX_TOP + "], got " + top);
        // Sorted, so the config (and what is logged of it) does not depend on the YAML's key order.
        statements = statements == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(statements));
        statements.forEach((column, statement) -> {
            if (statement == null || statement.isBlank()) {
                throw new ConfigException("statements", "gives column '" + column + "' a blank statement; write a"
                        + " sentence such as \"Loan duration is too long\", or leave the column out");
            }
        });
        split = split == null ? Split.TEST : split;
        rows = rows == null ? DEFAULT_ROWS : rows;
        if (rows < 1 || rows > ShapConfig.MAX_ROWS) {
            throw new ConfigException("rows", "must be in [1, " + ShapConfig.MAX_ROWS + "], got " + rows);
        }
        method = method == null ? ShapConfig.Method.AUTO : method;
        ShapConfig kernel = new ShapConfig(split, rows, background, backgroundMethod, method, samples, null, null);
        background = kernel.background();
        backgroundMethod = kernel.backgroundMethod();
        samples = kernel.samples();
    }

    /** {@code adverse_class: bad}, every other key at its default. */
    public static ReasonsConfig of(String adverseClass) {
        return new ReasonsConfig(adverseClass, null, null, null, null, null, null, null, null, null);
    }
}

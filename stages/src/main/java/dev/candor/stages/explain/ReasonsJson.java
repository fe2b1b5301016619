package dev.candor.stages.explain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.explain.reasons.ReasonCodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code reasons.json}: how the reasons were found and what their numbers measure, how often each feature is
 * a principal reason, and per adverse row its source row, P(adverse) and ranked reasons. Key order is fixed and the
 * line separator is {@code \n}, so the same decisions give the same bytes.
 */
final class ReasonsJson {
    static final String FILE = "reasons.json";

    /**
     * What goes into the file.
     *
     * @param method       {@code tree}, {@code linear} or {@code kernel}
     * @param algorithm    the SHAP algorithm ({@code TREE_PATH_DEPENDENT}, {@code LINEAR}, {@code KERNEL_EXACT}, ...)
     * @param outputSpace  {@code raw_score}, {@code log_odds} or {@code probability}: the unit of the contributions
     * @param note         what the numbers mean and what is listed
     * @param model        producer, hash and type of the model
     * @param dataset      producer and hash of the dataset
     * @param split        the decided split
     * @param splitRows    rows in the split
     * @param decidedRows  rows scored (the split, or a seeded sample of it)
     * @param adverseClass the class whose probability means rejection
     * @param threshold    a row is adverse when P(adverse) &gt;= threshold
     * @param top          the most reasons per row
     * @param background   KernelSHAP's background (null for the other methods)
     * @param frequency    per feature, the share of adverse rows that list it, in player order
     * @param rows         the adverse rows, by source row
     * @param seed         the stage seed
     */
    record Content(String method, String algorithm, String outputSpace, String note, ShapJson.Artifact model,
                   ShapJson.Artifact dataset, String split, long splitRows, int decidedRows, String adverseClass,
                   double threshold, int top, ShapJson.Background background, Map<String, Double> frequency,
                   List<Row> rows, long seed) { }

    /**
     * An adverse row and its principal reasons, strongest first.
     *
     * @param base  the explained score's expected value (the contributions start from it)
     * @param score the explained score of this row: base + the sum of all features' contributions
     */
    record Row(long sourceRow, double adverseProbability, double base, double score, List<ReasonCodes.Reason> reasons) {
        Row {
            reasons = List.copyOf(reasons);
        }
    }

    private ReasonsJson() {
    }

    static void write(Path file, Content c) {
        ObjectNode root = ShapJson.header(c.method(), c.algorithm(), c.outputSpace(), c.note(), c.model(),
                c.dataset(), c.split(), c.splitRows());
        root.put("decided_rows", c.decidedRows());
        root.put("adverse_class", c.adverseClass());
        root.put("threshold", c.threshold());
        root.put("top", c.top());
        root.put("adverse_rows", c.rows().size());
        root.put("seed", c.seed());
        ShapJson.putBackground(root, c.background());
        ObjectNode frequency = root.putObject("reason_frequency");
        c.frequency().forEach(frequency::put);
        ArrayNode rows = root.putArray("rows");
        for (Row r : c.rows()) {
            ObjectNode o = rows.addObject();
            o.put("row", r.sourceRow());
            o.put("p_adverse", r.adverseProbability());
            o.put("base", r.base());
            o.put("score", r.score());
            ArrayNode reasons = o.putArray("reasons");
            for (ReasonCodes.Reason reason : r.reasons()) {
                reasons.addObject().put("rank", reason.rank()).put("feature", reason.feature())
                        .put("contribution", reason.contribution()).put("statement", reason.statement());
            }
        }
        ShapJson.writePretty(file, root);
    }
}

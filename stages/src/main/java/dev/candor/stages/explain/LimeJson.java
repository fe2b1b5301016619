package dev.candor.stages.explain;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code lime.json}: how the surrogates were fitted, the global summary (mean |weight| per class and feature,
 * fidelity) and one entry per explained row (weights, intercept, model probability and fidelity per class, top
 * features). Key order is fixed and the line separator is {@code \n}, so the same explanation gives the same bytes.
 */
final class LimeJson {
    static final String FILE = "lime.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NOTE = "Each row's weights are the coefficients of a weighted ridge regression of the model's"
            + " probability on Gaussian perturbations of the encoded row, in training standard deviations (a weight is"
            + " the change of the probability per standard deviation of the feature, near the row); a source column's"
            + " weight sums its encoded features'. Fidelity is the surrogate's weighted R² over the perturbations:"
            + " near 1, the weights describe the model around the row; low, they do not and should not be read as"
            + " reasons.";

    /**
     * What goes into the file.
     *
     * @param model        producer, hash and type of the model
     * @param dataset      producer and hash of the dataset
     * @param split        the explained split
     * @param splitRows    rows in the split
     * @param trainingRows train rows the spread was measured on
     * @param samples      perturbations per row
     * @param kernelWidth  the kernel width used
     * @param classes      the explained classes
     * @param players      the source columns and their encoded features
     * @param meanAbs      mean |weight| per class and player
     * @param fidelityMean mean fidelity over rows (each row's mean over the explained classes)
     * @param fidelityMin  the lowest fidelity of any row and class
     * @param rows         the explained rows, by source row
     * @param top          top features listed per row and class
     * @param seed         the stage seed
     */
    record Content(ShapJson.Artifact model, ShapJson.Artifact dataset, String split, long splitRows, int trainingRows,
                   int samples, double kernelWidth, List<String> classes, List<ShapJson.Player> players,
                   double[][] meanAbs, double fidelityMean, double fidelityMin, List<LimeRows.Explained> rows, int top,
                   long seed) { }

    private LimeJson() {
    }

    static void write(Path file, Content c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("method", "lime");
        root.put("output_space", "probability");
        root.put("note", NOTE);
        root.set("model", artifact(c.model()));
        root.set("dataset", artifact(c.dataset()));
        root.put("split", c.split());
        root.put("split_rows", c.splitRows());
        root.put("explained_rows", c.rows().size());
        root.put("training_rows", c.trainingRows());
        root.put("samples", c.samples());
        root.put("kernel_width", c.kernelWidth());
        root.put("seed", c.seed());
        ArrayNode classes = root.putArray("classes");
        c.classes().forEach(classes::add);
        ArrayNode players = root.putArray("features");
        for (ShapJson.Player p : c.players()) {
            ObjectNode o = players.addObject();
            o.put("column", p.column());
            ArrayNode f = o.putArray("encoded");
            p.features().forEach(f::add);
        }
        ObjectNode fidelity = root.putObject("fidelity");
        fidelity.put("mean", c.fidelityMean());
        fidelity.put("min", c.fidelityMin());
        ObjectNode global = root.putObject("mean_abs_weight");
        for (int k = 0; k < c.classes().size(); k++) {
            ObjectNode perClass = global.putObject(c.classes().get(k));
            for (int p = 0; p < c.players().size(); p++) {
                perClass.put(c.players().get(p).column(), c.meanAbs()[k][p]);
            }
        }
        ArrayNode rows = root.putArray("rows");
        for (LimeRows.Explained e : c.rows()) {
            ObjectNode r = rows.addObject();
            r.put("row", e.sourceRow());
            r.put("samples", e.samples());
            ObjectNode perClass = r.putObject("classes");
            for (int k = 0; k < c.classes().size(); k++) {
                ObjectNode o = perClass.putObject(c.classes().get(k));
                o.put("fidelity", e.fidelity()[k]);
                o.put("intercept", e.intercept()[k]);
                o.put("prediction", e.prediction()[k]);
                ArrayNode values = o.putArray("weights");
                for (double v : e.weights()[k]) values.add(v);
                ArrayNode top = o.putArray("top");
                for (int p : ShapJson.top(e.weights()[k], c.top())) {
                    top.addObject().put("feature", c.players().get(p).column()).put("weight", e.weights()[k][p]);
                }
            }
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            JSON.writer(printer).writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static ObjectNode artifact(ShapJson.Artifact a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("producer", a.producer());
        o.put("sha256", a.sha256());
        if (a.type() != null) o.put("type", a.type());
        return o;
    }
}

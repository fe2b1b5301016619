package dev.candor.stages.explain;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes {@code explanations.json}: how the values were computed and what they measure, the players, the global
 * summary, and one entry per explained row (its values per class and player, base value, model output and top
 * features). Key order is fixed and the line separator is {@code \n}, so the same explanation gives the same bytes.
 */
final class ShapJson {
    static final String FILE = "explanations.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What goes into the file.
     *
     * @param method        {@code kernel} or {@code tree}
     * @param algorithm     the library's method ({@code KERNEL_EXACT}, {@code KERNEL_SAMPLED}, {@code TREE_PATH_DEPENDENT})
     * @param outputSpace   {@code probability} or {@code raw_score}
     * @param note          one sentence on what the numbers mean
     * @param model         producer, hash and type of the model
     * @param dataset       producer and hash of the dataset
     * @param split         the explained split
     * @param splitRows     rows in the split
     * @param background    how the background was built (null for TreeSHAP)
     * @param classes       the explained classes
     * @param players       the players (source columns) and their encoded features
     * @param summary       mean |value| per class and player
     * @param rows          the explained rows, by source row
     * @param top           top features listed per row and class
     * @param seed          the stage seed
     */
    record Content(String method, String algorithm, String outputSpace, String note, Artifact model, Artifact dataset,
                   String split, long splitRows, Background background, List<String> classes, List<Player> players,
                   MeanAbsShap.Summary summary, List<ShapRows.Explained> rows, int top, long seed) { }

    /** An input artifact as the file cites it. */
    record Artifact(String producer, String sha256, String type) { }

    /** KernelSHAP's background: where from, how summarized, how many rows, and the coalition budget. */
    record Background(String split, String method, int rows, String coalitions) { }

    /** A player: a source column and the encoded features that move together. */
    record Player(String column, List<String> features) { }

    private ShapJson() {
    }

    static void write(Path file, Content c) {
        ObjectNode root = header(c.method(), c.algorithm(), c.outputSpace(), c.note(), c.model(), c.dataset(),
                c.split(), c.splitRows());
        root.put("explained_rows", c.rows().size());
        root.put("seed", c.seed());
        putBackground(root, c.background());
        ArrayNode classes = root.putArray("classes");
        c.classes().forEach(classes::add);
        ArrayNode players = root.putArray("features");
        for (Player p : c.players()) {
            ObjectNode o = players.addObject();
            o.put("column", p.column());
            ArrayNode f = o.putArray("encoded");
            p.features().forEach(f::add);
        }
        ObjectNode global = root.putObject("mean_abs_shap");
        for (int k = 0; k < c.classes().size(); k++) {
            ObjectNode perClass = global.putObject(c.classes().get(k));
            for (int p = 0; p < c.players().size(); p++) {
                perClass.put(c.players().get(p).column(), c.summary().meanAbs()[k][p]);
            }
        }
        ArrayNode rows = root.putArray("rows");
        for (ShapRows.Explained e : c.rows()) {
            ObjectNode r = rows.addObject();
            r.put("row", e.sourceRow());
            r.put("model_evaluations", e.modelEvaluations());
            ObjectNode perClass = r.putObject("classes");
            for (int k = 0; k < c.classes().size(); k++) {
                ObjectNode o = perClass.putObject(c.classes().get(k));
                o.put("base", e.base()[k]);
                o.put("prediction", e.prediction()[k]);
                ArrayNode values = o.putArray("values");
                for (double v : e.values()[k]) values.add(v);
                ArrayNode top = o.putArray("top");
                for (int p : top(e.values()[k], c.top())) {
                    top.addObject().put("feature", c.players().get(p).column()).put("value", e.values()[k][p]);
                }
            }
        }
        writePretty(file, root);
    }

    /** The first keys of an explanation file: how it was computed, what it measures, and from what. */
    static ObjectNode header(String method, String algorithm, String outputSpace, String note, Artifact model,
                             Artifact dataset, String split, long splitRows) {
        ObjectNode root = JSON.createObjectNode();
        root.put("method", method);
        root.put("algorithm", algorithm);
        root.put("output_space", outputSpace);
        root.put("note", note);
        root.set("model", artifact(model));
        root.set("dataset", artifact(dataset));
        root.put("split", split);
        root.put("split_rows", splitRows);
        return root;
    }

    /** KernelSHAP's background under {@code background}; nothing when there is none (TreeSHAP, LinearSHAP). */
    static void putBackground(ObjectNode root, Background background) {
        if (background == null) return;
        ObjectNode b = root.putObject("background");
        b.put("split", background.split());
        b.put("method", background.method());
        b.put("rows", background.rows());
        b.put("coalitions", background.coalitions());
    }

    /** Two-space indentation and {@code \n} line ends on every platform, so the same content gives the same bytes. */
    static void writePretty(Path file, ObjectNode root) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            JSON.writer(printer).writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The indexes of the {@code n} largest |values|, largest first; ties by index, so the order is stable. */
    static List<Integer> top(double[] values, int n) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < values.length; i++) idx.add(i);
        idx.sort(Comparator.<Integer>comparingDouble(i -> -Math.abs(values[i])).thenComparingInt(i -> i));
        return idx.subList(0, Math.min(n, idx.size()));
    }

    private static ObjectNode artifact(Artifact a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("producer", a.producer());
        o.put("sha256", a.sha256());
        if (a.type() != null) o.put("type", a.type());
        return o;
    }
}

package dev.candor.stages.evaluate;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.explain.metrics.BootstrapIntervals;
import dev.candor.explain.metrics.ClassMetrics;
import dev.candor.explain.metrics.ClassificationReport;
import dev.candor.explain.metrics.Interval;
import dev.candor.explain.metrics.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Writes {@code evaluation.json}: every metric with its interval, the confusion matrix, the classes, the positive
 * class, and one prediction per source row. Key order is fixed and the line separator is {@code \n}, so the same
 * evaluation gives the same bytes on every machine. An undefined value (NaN) is written as {@code null}, with the
 * reason among the notes.
 */
final class EvaluationJson {
    static final String FILE = "evaluation.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What goes into the file.
     *
     * @param split                  the split's label ("test")
     * @param model                  producer, hash and type of the model artifact
     * @param dataset                producer and hash of the dataset artifact
     * @param where                  where ONNX Runtime ran ("cpu", "cuda:0")
     * @param positiveClassSource    "config" or "least frequent class of the split"
     * @param report                 the metrics
     * @param intervals              the bootstrap intervals, absent when turned off
     * @param seed                   the seed the bootstrap drew from
     * @param predictions            the scored rows, by source row
     * @param fairness               the full fairness report, absent when the dataset has no protected attribute
     */
    record Content(String split, Artifact model, Artifact dataset, String modelType, String where,
                   String positiveClassSource, ClassificationReport report, Optional<BootstrapIntervals> intervals,
                   long seed, List<ScoredRows.Scored> predictions, Optional<ObjectNode> fairness) { }

    /** An input artifact as the file cites it. */
    record Artifact(String producer, String sha256) { }

    private EvaluationJson() {
    }

    static void write(Path file, Content c) {
        ObjectNode root = JSON.createObjectNode();
        ClassificationReport r = c.report();
        root.put("split", c.split());
        root.put("rows", r.rows());
        root.set("model", artifact(c.model()).put("type", c.modelType()));
        root.set("dataset", artifact(c.dataset()));
        root.put("device", c.where());
        ArrayNode classes = root.putArray("classes");
        r.classes().forEach(classes::add);
        root.put("positive_class", r.positiveClass());
        root.put("positive_class_source", c.positiveClassSource());

        ObjectNode metrics = root.putObject("metrics");
        for (Metric m : Metric.values()) number(metrics, m.key(), r.value(m));

        if (c.intervals().isPresent()) {
            BootstrapIntervals b = c.intervals().get();
            ObjectNode intervals = root.putObject("intervals");
            intervals.put("method", "percentile bootstrap");
            intervals.put("resamples", b.resamples());
            intervals.put("confidence", b.confidence());
            intervals.put("seed", c.seed());
            ObjectNode byMetric = intervals.putObject("metrics");
            for (Metric m : Metric.values()) {
                Interval i = b.interval(m);
                ObjectNode node = byMetric.putObject(m.key());
                number(node, "low", i.low());
                number(node, "high", i.high());
                node.put("resamples", i.resamples());
            }
        } else {
            root.putNull("intervals");
        }

        ArrayNode perClass = root.putArray("per_class");
        for (ClassMetrics m : r.perClass()) {
            ObjectNode node = perClass.addObject();
            node.put("class", m.name());
            node.put("precision", m.precision());
            node.put("recall", m.recall());
            node.put("f1", m.f1());
            node.put("support", m.support());
            node.put("predicted", m.predicted());
        }

        ObjectNode confusion = root.putObject("confusion");
        confusion.put("rows", "actual");
        confusion.put("columns", "predicted");
        ArrayNode counts = confusion.putArray("counts");
        for (List<Long> row : r.confusion().counts()) {
            ArrayNode a = counts.addArray();
            row.forEach(a::add);
        }

        if (c.fairness().isPresent()) root.set("fairness", c.fairness().get()); else root.putNull("fairness");

        ArrayNode notes = root.putArray("notes");
        r.notes().forEach(notes::add);

        ArrayNode predictions = root.putArray("predictions");
        for (ScoredRows.Scored s : c.predictions()) {
            ObjectNode node = predictions.addObject();
            node.put("row", s.row());
            node.put("label", r.classes().get(s.actual()));
            node.put("predicted", r.classes().get(argMax(s.probabilities())));
            ArrayNode p = node.putArray("probabilities");
            for (float v : s.probabilities()) p.add(v);
        }

        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            JSON.writer(printer).writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static ObjectNode artifact(Artifact a) {
        ObjectNode node = JSON.createObjectNode();
        node.put("producer", a.producer());
        node.put("sha256", a.sha256());
        return node;
    }

    private static void number(ObjectNode node, String key, double v) {
        if (Double.isNaN(v)) node.putNull(key); else node.put(key, v);
    }

    /** As {@code ClassificationMetrics}: the first class of highest probability. */
    static int argMax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
        return best;
    }
}

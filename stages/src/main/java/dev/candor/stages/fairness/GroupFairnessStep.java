package dev.candor.stages.fairness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.explain.fairness.AttributeReport;
import dev.candor.explain.fairness.Estimate;
import dev.candor.explain.fairness.FairnessOptions;
import dev.candor.explain.fairness.FairnessReport;
import dev.candor.explain.fairness.Gap;
import dev.candor.explain.fairness.GroupFairness;
import dev.candor.explain.fairness.GroupMetric;
import dev.candor.explain.fairness.GroupReport;
import dev.candor.explain.fairness.Outcomes;
import dev.candor.explain.fairness.ProtectedAttribute;
import dev.candor.explain.fairness.ReliabilityBin;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.FindingSink;
import dev.candor.stages.spi.MetricSink;
import java.util.List;
import java.util.Locale;

/**
 * The fairness part of {@code evaluate}: measures {@link GroupFairness} over the evaluated split's protected
 * attributes, records the agreed metric names, reports groups too small to judge as findings, and renders the full
 * report for {@code evaluation.json}.
 *
 * <p>Metrics (all on the evaluated split): every defined gap as {@code fairness.<attr>.<gap>} with no slice, plus
 * {@code _ci_low}/{@code _ci_high}; per judged group {@code fairness.<metric>} with slice {@code <attr>=<group>}
 * (an intersection's group is already {@code a=x,b=y}) and its interval; {@code fairness.size} for every group,
 * judged or not. A group too small to judge gets no other number and a {@code fairness.group_too_small} warning.
 */
public final class GroupFairnessStep {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALIBRATION_BINS = 10;

    /**
     * A measured report with how its favourable outcome was chosen.
     *
     * @param report           the report
     * @param favourableSource "config" or "the positive class"
     */
    public record Measured(FairnessReport report, String favourableSource) {
    }

    private GroupFairnessStep() {
    }

    /**
     * Measures fairness of argmax predictions.
     *
     * @param rows          the split's rows, aligned with {@code actual} and {@code probabilities}
     * @param actual        per row, the index of its true class in {@code classes}
     * @param probabilities per row, one probability per class
     * @param positiveClass evaluate's positive class, the default favourable outcome
     * @param resamples     bootstrap resamples when the fairness block gives none
     * @param where         the split and dataset, for messages
     */
    public static Measured measure(FairnessConfig config, DatasetSchema schema, List<DatasetRow> rows, int[] actual,
                                   double[][] probabilities, List<String> classes, String positiveClass,
                                   int resamples, double confidence, long seed, String where) {
        String favourable = config.favourable() != null ? config.favourable() : positiveClass;
        int fav = classes.indexOf(favourable);
        if (fav < 0) {
            throw new ConfigException("fairness", "the favourable outcome '" + favourable + "' is not a class of the"
                    + " model; its classes are " + classes);
        }
        List<ProtectedAttribute> attributes = ProtectedGroups.of(schema, rows, config, where);
        boolean[] a = new boolean[actual.length], p = new boolean[actual.length];
        double[] s = new double[actual.length];
        for (int i = 0; i < actual.length; i++) {
            a[i] = actual[i] == fav;
            p[i] = argMax(probabilities[i]) == fav;
            // float probabilities may sum a hair above 1
            s[i] = Math.min(1.0, Math.max(0.0, probabilities[i][fav]));
        }
        Outcomes outcomes = new Outcomes(favourable, "predicted class (highest probability) = '" + favourable + "'",
                a, p, s);
        int b = config.resamples() != null ? config.resamples() : resamples;
        FairnessOptions options = new FairnessOptions(config.privileged(), config.minGroup(), CALIBRATION_BINS, b,
                confidence, seed);
        return new Measured(GroupFairness.evaluate(outcomes, attributes, options),
                config.favourable() != null ? "config" : "the positive class");
    }

    /** Records the metrics and findings described on the class. */
    public static void record(FairnessReport report, String split, MetricSink metrics, FindingSink findings) {
        for (AttributeReport attr : report.attributes()) {
            String name = attr.attribute();
            for (Gap g : Gap.values()) {
                Estimate e = attr.gap(g);
                if (!e.defined()) continue;
                String key = "fairness." + name + "." + g.key();
                metrics.record(key, e.value(), split);
                if (e.interval().resamples() > 0) {
                    metrics.record(key + "_ci_low", e.interval().low(), split);
                    metrics.record(key + "_ci_high", e.interval().high(), split);
                }
            }
            for (GroupReport group : attr.groups()) {
                String slice = slice(name, group.group());
                metrics.record("fairness.size", group.size(), split, slice);
                if (!group.judged()) {
                    if (group.size() > 0) {
                        findings.warn("fairness.group_too_small", slice, "group " + slice + " has " + group.size()
                                + " " + split + " rows, fewer than min_group " + report.minGroupSize() + ": too few to"
                                + " judge, so it has no fairness numbers and takes no part in the gaps; evaluate on"
                                + " more rows, merge groups (wider bins), or lower fairness.min_group knowingly");
                    }
                    continue;
                }
                for (GroupMetric m : GroupMetric.values()) {
                    Estimate e = group.metric(m);
                    if (!e.defined()) continue;
                    metrics.record("fairness." + m.key(), e.value(), split, slice);
                    if (e.interval().resamples() > 0) {
                        metrics.record("fairness." + m.key() + "_ci_low", e.interval().low(), split, slice);
                        metrics.record("fairness." + m.key() + "_ci_high", e.interval().high(), split, slice);
                    }
                }
            }
            findings.info("fairness.privileged_group", name, attr.privileged().isEmpty()
                    ? "attribute '" + name + "' has no privileged group: " + attr.privilegedReason()
                    : "attribute '" + name + "': privileged group '" + attr.privileged() + "' ("
                    + attr.privilegedReason() + ")");
        }
    }

    /** The slice of a group: {@code attr=group}, or the group itself for an intersection ({@code a=x,b=y}). */
    static String slice(String attribute, String group) {
        return attribute.contains("_x_") && group.contains("=") ? group : attribute + "=" + group;
    }

    /** One line for the stage summary: the disparate impact of every attribute measured. */
    public static String summary(FairnessReport report) {
        StringBuilder sb = new StringBuilder();
        for (AttributeReport attr : report.attributes()) {
            Estimate di = attr.gap(Gap.DISPARATE_IMPACT);
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(attr.attribute()).append(' ');
            if (!di.defined()) {
                sb.append("undefined");
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%.2f", di.value()));
            if (di.interval().resamples() > 0) {
                sb.append(String.format(Locale.ROOT, " [%.2f, %.2f]", di.interval().low(), di.interval().high()));
            }
        }
        return "disparate impact " + sb;
    }

    /** The full report as written into {@code evaluation.json} under {@code fairness}. */
    public static ObjectNode toJson(Measured measured) {
        FairnessReport r = measured.report();
        ObjectNode root = JSON.createObjectNode();
        root.put("favourable", r.favourable());
        root.put("favourable_source", measured.favourableSource());
        root.put("prediction_rule", r.predictionRule());
        root.put("rows", r.rows());
        root.put("min_group", r.minGroupSize());
        ObjectNode intervals = root.putObject("intervals");
        intervals.put("method", r.intervalMethod());
        intervals.put("resamples", r.resamples());
        intervals.put("confidence", r.confidence());
        ObjectNode definitions = root.putObject("definitions");
        r.definitions().forEach(definitions::put);
        ArrayNode attributes = root.putArray("attributes");
        for (AttributeReport attr : r.attributes()) {
            ObjectNode a = attributes.addObject();
            a.put("attribute", attr.attribute());
            if (attr.privileged().isEmpty()) a.putNull("privileged"); else a.put("privileged", attr.privileged());
            a.put("privileged_reason", attr.privilegedReason());
            ObjectNode gaps = a.putObject("gaps");
            for (Gap g : Gap.values()) {
                ObjectNode node = estimate(gaps.putObject(g.key()), attr.gap(g));
                node.put("definition", g.definition());
            }
            ArrayNode groups = a.putArray("groups");
            for (GroupReport gr : attr.groups()) {
                ObjectNode node = groups.addObject();
                node.put("group", gr.group());
                node.put("size", gr.size());
                node.put("judged", gr.judged());
                if (!gr.note().isEmpty()) node.put("note", gr.note());
                if (!gr.judged()) continue;
                ObjectNode metrics = node.putObject("metrics");
                for (GroupMetric m : GroupMetric.values()) estimate(metrics.putObject(m.key()), gr.metric(m));
                ArrayNode bins = node.putArray("reliability");
                for (ReliabilityBin bin : gr.reliability()) {
                    ObjectNode b = bins.addObject();
                    b.put("low", bin.low());
                    b.put("high", bin.high());
                    b.put("rows", bin.rows());
                    number(b, "mean_score", bin.meanScore());
                    number(b, "observed_rate", bin.observedRate());
                }
            }
        }
        return root;
    }

    private static ObjectNode estimate(ObjectNode node, Estimate e) {
        number(node, "value", e.value());
        number(node, "ci_low", e.interval().low());
        number(node, "ci_high", e.interval().high());
        node.put("resamples", e.interval().resamples());
        if (!e.note().isEmpty()) node.put("note", e.note());
        return node;
    }

    private static void number(ObjectNode node, String key, double v) {
        if (Double.isNaN(v)) node.putNull(key); else node.put(key, v);
    }

    private static int argMax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
        return best;
    }
}

package dev.candor.dashboard;

import dev.candor.registry.MetricView;
import dev.candor.registry.RunDetail;
import dev.candor.registry.StageRunView;
import io.quarkus.qute.RawString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fairness evidence of one stage (an evaluation, on its test split), per protected attribute: the gaps
 * ({@code fairness.<attr>.<gap>}, no slice, with {@code _ci_low}/{@code _ci_high}) and the per-group rates
 * ({@code fairness.<metric>} with slice {@code <attr>=<group>}, or {@code <a>=<g1>,<b>=<g2>} for the intersection
 * {@code <a>_x_<b>}).
 *
 * @param stageId    the stage that recorded them
 * @param model      the model it evaluated, or blank when lineage does not say
 * @param attributes one entry per attribute, in the order the registry lists them
 */
public record FairnessView(String stageId, String model, List<Attribute> attributes) {
    /** The gaps, in the order a reviewer reads them. */
    public static final List<String> GAPS = List.of("disparate_impact", "demographic_parity_ratio",
            "demographic_parity_difference", "statistical_parity_difference", "equal_opportunity_difference",
            "equalized_odds_difference", "average_odds_difference");
    /** The per-group metrics, in table order. */
    public static final List<String> GROUP_METRICS = List.of("size", "base_rate", "selection_rate", "tpr", "fpr", "precision", "ece");
    /** The group rates drawn as bars with their intervals. */
    public static final List<String> CHARTED = List.of("selection_rate", "tpr", "fpr");
    /** The four-fifths rule (US EEOC Uniform Guidelines, 29 CFR 1607.4(D)): a selection-rate ratio below it indicates adverse impact. */
    public static final double FOUR_FIFTHS = 0.8;

    public FairnessView {
        attributes = List.copyOf(attributes);
    }

    /** One protected attribute (or intersection of two). */
    public record Attribute(String name, List<Gap> gaps, List<String> groupColumns, List<GroupRow> groups, List<Figure> charts) {
        public Attribute {
            gaps = List.copyOf(gaps);
            groupColumns = List.copyOf(groupColumns);
            groups = List.copyOf(groups);
            charts = List.copyOf(charts);
        }
    }

    /**
     * A gap between groups. {@code parity} is the value of a perfectly fair model (1 for a ratio, 0 for a difference);
     * {@code distance} is how far from it, on a scale shared by both kinds (|difference|, or 1 − min(r, 1/r) for a
     * ratio) so that the worst gap of a model can be named; {@code warning} is text (never colour alone) when the
     * four-fifths rule is broken.
     */
    public record Gap(String name, double value, String formatted, String interval, String parity, double distance, String warning) {
        public boolean flagged() {
            return !warning.isEmpty();
        }
    }

    /** A chart with the caption printed above it. */
    public record Figure(String caption, RawString svg) { }

    /** One group's metrics, formatted, in {@link #GROUP_METRICS} order (blank where not recorded). */
    public record GroupRow(String group, List<String> cells) {
        public GroupRow {
            cells = List.copyOf(cells);
        }
    }

    /** Whether a gap is a ratio (parity 1) rather than a difference (parity 0). */
    public static boolean isRatio(String gap) {
        return gap.endsWith("_ratio") || gap.equals("disparate_impact");
    }

    /** The gap furthest from parity over every attribute, if any. */
    public java.util.Optional<Gap> worst() {
        return attributes.stream().flatMap(a -> a.gaps().stream().map(g -> new Gap(a.name() + " " + g.name(), g.value(),
                        g.formatted(), g.interval(), g.parity(), g.distance(), g.warning())))
                .filter(g -> !Double.isNaN(g.distance()))
                .max(java.util.Comparator.comparingDouble(Gap::distance));
    }

    static List<FairnessView> of(RunDetail run, RunMetrics metrics, Map<String, String> modelOf) {
        List<FairnessView> out = new ArrayList<>();
        for (StageRunView stage : run.stages()) {
            FairnessView v = of(stage.stageId(), metrics.of(stage.stageId()), modelOf.getOrDefault(stage.stageId(), ""));
            if (!v.attributes().isEmpty()) out.add(v);
        }
        return out;
    }

    static FairnessView of(String stageId, List<MetricView> metrics, String model) {
        // attribute -> gap -> [value, low, high]
        Map<String, Map<String, double[]>> gaps = new LinkedHashMap<>();
        // attribute -> group -> metric -> [value, low, high]
        Map<String, Map<String, Map<String, double[]>>> groups = new LinkedHashMap<>();
        for (MetricView m : metrics) {
            if (!m.name().startsWith("fairness.") || (m.split() != null && !m.split().equals("test"))) continue;
            String rest = m.name().substring("fairness.".length());
            int bound = rest.endsWith("_ci_low") ? 1 : rest.endsWith("_ci_high") ? 2 : 0;
            String base = bound == 1 ? rest.substring(0, rest.length() - "_ci_low".length())
                    : bound == 2 ? rest.substring(0, rest.length() - "_ci_high".length()) : rest;
            if (m.slice() == null) {
                int dot = base.lastIndexOf('.');
                if (dot <= 0 || !GAPS.contains(base.substring(dot + 1))) continue;
                slot(gaps.computeIfAbsent(base.substring(0, dot), k -> new LinkedHashMap<>()), base.substring(dot + 1))[bound] = m.value();
            } else if (GROUP_METRICS.contains(base)) {
                Map<String, String> slice = RunMetrics.parseSlice(m.slice());
                if (slice.isEmpty()) continue;
                String attribute = String.join("_x_", slice.keySet());
                String group = String.join(" × ", slice.values());
                slot(groups.computeIfAbsent(attribute, k -> new LinkedHashMap<>()).computeIfAbsent(group, k -> new LinkedHashMap<>()), base)[bound] = m.value();
            }
        }
        List<String> names = new ArrayList<>(gaps.keySet());
        groups.keySet().stream().filter(a -> !names.contains(a)).forEach(names::add);
        List<Attribute> attributes = new ArrayList<>();
        for (String attribute : names) {
            List<Gap> gapRows = new ArrayList<>();
            Map<String, double[]> found = gaps.getOrDefault(attribute, Map.of());
            for (String g : GAPS) {
                double[] v = found.get(g);
                if (v != null) gapRows.add(gap(g, v));
            }
            Map<String, Map<String, double[]>> byGroup = groups.getOrDefault(attribute, Map.of());
            List<String> columns = GROUP_METRICS.stream().filter(c -> byGroup.values().stream().anyMatch(r -> r.containsKey(c))).toList();
            List<GroupRow> rows = new ArrayList<>();
            for (var e : byGroup.entrySet()) {
                List<String> cells = new ArrayList<>();
                for (String c : columns) {
                    double[] v = e.getValue().get(c);
                    cells.add(v == null ? "" : c.equals("size") ? Long.toString(Math.round(v[0]))
                            : (RunPage.format(v[0]) + " " + RunMetrics.interval(v[1], v[2])).trim());
                }
                rows.add(new GroupRow(e.getKey(), cells));
            }
            List<Figure> charts = new ArrayList<>();
            for (String c : CHARTED) {
                List<Charts.Bar> bars = byGroup.entrySet().stream().filter(e -> e.getValue().containsKey(c))
                        .map(e -> new Charts.Bar(e.getKey(), e.getValue().get(c)[0], e.getValue().get(c)[1], e.getValue().get(c)[2])).toList();
                if (!bars.isEmpty()) {
                    String caption = c + " per " + attribute + " group";
                    charts.add(new Figure(caption, Charts.barChart("fairness-" + stageId + "-" + attribute + "-" + c, bars, 1.0, caption)));
                }
            }
            attributes.add(new Attribute(attribute, gapRows, columns, rows, charts));
        }
        return new FairnessView(stageId, model, attributes);
    }

    private static double[] slot(Map<String, double[]> map, String key) {
        return map.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN, Double.NaN});
    }

    private static Gap gap(String name, double[] v) {
        boolean ratio = isRatio(name);
        double distance = Double.isNaN(v[0]) ? Double.NaN : Goal.ofGap(name).badness(v[0]);
        String warning = name.equals("disparate_impact") && v[0] < FOUR_FIFTHS
                ? "below the four-fifths rule (< 0.8): adverse impact indicated" : "";
        return new Gap(name, v[0], RunPage.format(v[0]), RunMetrics.interval(v[1], v[2]), ratio ? "1 (ratio)" : "0 (difference)",
                distance, warning);
    }
}

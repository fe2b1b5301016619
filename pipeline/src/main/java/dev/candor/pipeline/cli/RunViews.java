package dev.candor.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.candor.registry.MetricView;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunSummary;
import dev.candor.registry.StageRunView;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Text and JSON views of runs for the terminal. */
final class RunViews {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** Headline metrics in the order a reviewer reads them. */
    static final List<String> HEADLINE = List.of("accuracy", "balanced_accuracy", "roc_auc", "precision_macro",
            "recall_macro", "f1_macro", "log_loss", "brier");

    private RunViews() {
    }

    static void printStages(RunDetail run, PrintStream out) {
        out.printf("%-12s %-14s %-9s %8s  %s%n", "STAGE", "TYPE", "STATUS", "TIME", "WHY / RESULT");
        for (StageRunView s : run.stages()) {
            String status = s.status().equals("SUCCEEDED") ? (s.cacheHit() ? "cached" : "ran") : s.status().toLowerCase(Locale.ROOT);
            String why = s.error() != null ? s.error() : (s.cacheReason() == null ? "" : s.cacheReason())
                    + (s.summary() == null || s.summary().isEmpty() ? "" : " — " + s.summary());
            out.printf("%-12s %-14s %-9s %8s  %s%n", s.stageId(), s.stageType(), status,
                    s.durationMs() == null ? "" : ProgressPrinter.seconds(s.durationMs()), why);
        }
    }

    /** The metrics of each evaluating stage, per split: headline numbers with intervals, then the confusion matrix. */
    static void printMetrics(RunDetail run, PrintStream out) {
        Map<String, List<MetricView>> byStageSplit = new LinkedHashMap<>();
        for (MetricView m : run.metrics()) {
            if (m.split() == null || m.split().equals("train")) continue;
            byStageSplit.computeIfAbsent(m.stageId() + " (" + m.split() + ")", k -> new ArrayList<>()).add(m);
        }
        for (Map.Entry<String, List<MetricView>> e : byStageSplit.entrySet()) {
            Map<String, Double> whole = new LinkedHashMap<>();
            for (MetricView m : e.getValue()) if (m.slice() == null) whole.put(m.name(), m.value());
            if (HEADLINE.stream().noneMatch(whole::containsKey)) continue;
            out.println("metrics of " + e.getKey() + ":");
            for (String name : HEADLINE) {
                Double v = whole.get(name);
                if (v == null) continue;
                Double lo = whole.get(name + "_ci_low");
                Double hi = whole.get(name + "_ci_high");
                out.printf(Locale.ROOT, "  %-18s %.4f%s%n", name, v,
                        lo != null && hi != null ? String.format(Locale.ROOT, "   [%.4f, %.4f]", lo, hi) : "");
            }
            printConfusion(e.getValue(), out);
        }
    }

    private static void printConfusion(List<MetricView> metrics, PrintStream out) {
        Map<String, Map<String, Long>> cells = new LinkedHashMap<>();
        TreeSet<String> classes = new TreeSet<>();
        for (MetricView m : metrics) {
            if (!m.name().equals("confusion") || m.slice() == null) continue;
            String actual = null;
            String predicted = null;
            for (String part : m.slice().split(",")) {
                if (part.startsWith("actual=")) actual = part.substring(7);
                if (part.startsWith("predicted=")) predicted = part.substring(10);
            }
            if (actual == null || predicted == null) continue;
            classes.add(actual);
            classes.add(predicted);
            cells.computeIfAbsent(actual, k -> new LinkedHashMap<>()).put(predicted, Math.round(m.value()));
        }
        if (classes.isEmpty()) return;
        int w = Math.max(10, classes.stream().mapToInt(String::length).max().orElse(0) + 2);
        out.println("  confusion matrix (rows: actual, columns: predicted):");
        StringBuilder header = new StringBuilder(String.format("  %-" + w + "s", ""));
        for (String c : classes) header.append(String.format("%" + w + "s", c));
        out.println(header);
        for (String a : classes) {
            StringBuilder row = new StringBuilder(String.format("  %-" + w + "s", a));
            for (String p : classes) row.append(String.format("%" + w + "d", cells.getOrDefault(a, Map.of()).getOrDefault(p, 0L)));
            out.println(row);
        }
    }

    static void printSummaries(List<RunSummary> runs, PrintStream out) {
        out.printf("%-10s %-20s %-10s %-20s %8s %7s  %s%n", "RUN", "PIPELINE", "STATUS", "STARTED", "TIME", "CACHED", "KEY METRICS (test split, first evaluation)");
        for (RunSummary r : runs) {
            StringBuilder metrics = new StringBuilder(r.keyStage() == null ? "" : r.keyStage() + ": ");
            r.keyMetrics().forEach((k, v) -> metrics.append(String.format(Locale.ROOT, "%s=%.4f ", k, v)));
            out.printf("%-10s %-20s %-10s %-20s %8s %7s  %s%n", r.id().substring(0, 8), r.pipelineName(), r.status(),
                    r.startedAt().toString().replace('T', ' ').substring(0, 19),
                    r.durationMs() == null ? "" : ProgressPrinter.seconds(r.durationMs()),
                    r.cachedStages() + "/" + r.stages(), metrics.toString().trim());
        }
    }
}

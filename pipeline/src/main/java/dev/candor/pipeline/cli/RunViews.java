package dev.candor.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.candor.registry.EvaluationView;
import dev.candor.registry.FindingView;
import dev.candor.registry.GateResultView;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunSummary;
import dev.candor.registry.StageRunView;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Text and JSON views of runs for the terminal. */
final class RunViews {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private RunViews() {
    }

    static void printStages(RunDetail run, PrintStream out) {
        String columns = ProgressPrinter.columns(
                run.stages().stream().mapToInt(s -> s.stageId().length()).max().orElse(0),
                run.stages().stream().mapToInt(s -> s.stageType().length()).max().orElse(0));
        out.printf(columns + " %-9s %8s  %s%n", "STAGE", "TYPE", "STATUS", "TIME", "WHY / RESULT");
        for (StageRunView s : run.stages()) {
            String status = s.status().equals("SUCCEEDED") ? (s.cacheHit() ? "cached" : "ran") : s.status().toLowerCase(Locale.ROOT);
            String why = s.error() != null ? s.error() : (s.cacheReason() == null ? "" : s.cacheReason())
                    + (s.summary() == null || s.summary().isEmpty() ? "" : " — " + s.summary());
            out.printf(columns + " %-9s %8s  %s%n", s.stageId(), s.stageType(), status,
                    s.durationMs() == null ? "" : ProgressPrinter.seconds(s.durationMs()), Messages.shown(why));
        }
    }

    /** The metrics of each evaluating stage, per split: headline numbers with intervals, then the confusion matrix. */
    static void printMetrics(RunDetail run, PrintStream out) {
        for (EvaluationView e : EvaluationView.of(run)) {
            out.println((e.isFullEvaluation() ? "metrics of " : "check during training, ") + e.stageId() + " (" + e.split() + "):");
            for (EvaluationView.Headline h : e.headlines()) {
                out.printf(Locale.ROOT, "  %-18s %.4f%s%n", h.name(), h.value(), h.ciLow() != null && h.ciHigh() != null
                        ? String.format(Locale.ROOT, "   [%.4f, %.4f]", h.ciLow(), h.ciHigh()) : "");
            }
            if (e.classes().isEmpty()) continue;
            int w = Math.max(10, e.classes().stream().mapToInt(String::length).max().orElse(0) + 2);
            out.println("  confusion matrix (rows: actual, columns: predicted):");
            StringBuilder header = new StringBuilder(String.format("  %-" + w + "s", ""));
            for (String c : e.classes()) header.append(String.format("%" + w + "s", c));
            out.println(header);
            for (int i = 0; i < e.classes().size(); i++) {
                StringBuilder row = new StringBuilder(String.format("  %-" + w + "s", e.classes().get(i)));
                for (long n : e.confusion().get(i)) row.append(String.format("%" + w + "d", n));
                out.println(row);
            }
        }
    }

    /** The run's gates with the values they were decided on; nothing when it has none. */
    static void printGates(RunDetail run, PrintStream out) {
        if (run.gates().isEmpty()) return;
        long failed = run.gates().stream().filter(g -> !g.passed()).count();
        out.println();
        out.println("gates (" + (failed == 0 ? "all " + run.gates().size() + " passed" : failed + " of " + run.gates().size() + " failed") + "):");
        int w = run.gates().stream().mapToInt(g -> g.expression().length()).max().orElse(0);
        for (GateResultView g : run.gates()) {
            out.printf("  %s  %-" + w + "s   %s%n", g.passed() ? "PASS" : "FAIL", g.expression(), g.detail());
        }
    }

    /** What the stages reported for a reviewer, warnings first; nothing when there is none. */
    static void printFindings(RunDetail run, PrintStream out) {
        if (run.findings().isEmpty()) return;
        long warnings = run.findings().stream().filter(f -> f.severity().equals("WARNING")).count();
        out.println();
        out.println("findings (" + warnings + " warning" + (warnings == 1 ? "" : "s") + ", "
                + (run.findings().size() - warnings) + " info):");
        for (FindingView f : run.findings()) {
            out.printf("  %-7s %s  %s%s: %s%n", f.severity(), f.stageId(), f.code(),
                    f.subject() == null ? "" : " [" + f.subject() + "]", f.message());
        }
    }

    static void printSummaries(List<RunSummary> runs, PrintStream out) {
        out.printf("%-10s %-20s %-12s %-20s %8s %7s  %s%n", "RUN", "PIPELINE", "STATUS", "STARTED", "TIME", "CACHED", "KEY METRICS (test split, first evaluation)");
        for (RunSummary r : runs) {
            StringBuilder metrics = new StringBuilder(r.keyStage() == null ? "" : r.keyStage() + ": ");
            r.keyMetrics().forEach((k, v) -> metrics.append(String.format(Locale.ROOT, "%s=%.4f ", k, v)));
            out.printf("%-10s %-20s %-12s %-20s %8s %7s  %s%n", r.id().substring(0, 8), r.pipelineName(), r.status(),
                    r.startedAt().toString().replace('T', ' ').substring(0, 19),
                    r.durationMs() == null ? "" : ProgressPrinter.seconds(r.durationMs()),
                    r.cachedStages() + "/" + r.stages(), metrics.toString().trim());
        }
    }
}

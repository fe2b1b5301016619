package dev.candor.dashboard;

import dev.candor.registry.GateResultView;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's release gates for reading: each gate's verdict in words (PASS or FAIL, never colour alone), the values it
 * was decided on and the registry's one-line detail. When there are none, {@code absence} says why: the pipeline
 * declares none, a stage failed first, or the run is still going.
 *
 * @param gates   every gate in pipeline order
 * @param absence why there are no gates, or blank when there are
 */
public record GatesView(List<Gate> gates, String absence) {
    /** The verdicts, as shown. */
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";

    public GatesView {
        gates = List.copyOf(gates);
    }

    /**
     * One gate.
     *
     * @param position   its index in the pipeline's {@code gates:} list, from 0
     * @param expression the gate as written
     * @param passed     whether it held
     * @param verdict    {@link #PASS} or {@link #FAIL}
     * @param values     "result = value" for each result it names ("result: not recorded" when the stage did not record it)
     * @param detail     the registry's one line: the comparison with its numbers, or what was missing
     */
    public record Gate(int position, String expression, boolean passed, String verdict, List<String> values, String detail) {
        public Gate {
            values = List.copyOf(values);
        }

        /** Its number as a person counts, from 1. */
        public int number() {
            return position + 1;
        }
    }

    /** The gates that did not pass, in pipeline order. */
    public List<Gate> failed() {
        return gates.stream().filter(g -> !g.passed()).toList();
    }

    static GatesView of(RunDetail run) {
        List<Gate> gates = run.gates().stream().map(GatesView::gate).toList();
        return new GatesView(gates, gates.isEmpty() ? absence(run.summary().status()) : "");
    }

    /**
     * One cell of the run list: "none", "all 2 passed", or "FAIL: 1 of 2 failed (expression; …)". Blank while
     * running; "not checked" for a run a stage failed.
     */
    static String tally(String status, List<GateResultView> gates) {
        if (gates.isEmpty()) {
            if (RunStatus.RUNNING.name().equals(status)) return "";
            return RunStatus.FAILED.name().equals(status) ? "not checked" : "none";
        }
        List<String> failed = gates.stream().filter(g -> !g.passed()).map(GateResultView::expression).toList();
        if (failed.isEmpty()) return PASS + ": " + (gates.size() == 1 ? "1 passed" : "all " + gates.size() + " passed");
        return FAIL + ": " + failed.size() + " of " + gates.size() + " failed (" + String.join("; ", failed) + ")";
    }

    private static Gate gate(GateResultView g) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, Double> v : g.values().entrySet()) {
            values.add(v.getValue() == null ? v.getKey() + ": not recorded" : v.getKey() + " = " + RunPage.format(v.getValue()));
        }
        return new Gate(g.position(), g.expression(), g.passed(), g.passed() ? PASS : FAIL, values, g.detail());
    }

    private static String absence(String status) {
        if (RunStatus.FAILED.name().equals(status)) return "Gates were not checked: a stage failed first.";
        if (RunStatus.RUNNING.name().equals(status)) return "Gates are checked when every stage has finished; this run is still running.";
        return "This pipeline declares no release gates (spec.gates), so nothing decided whether its models are good enough.";
    }
}

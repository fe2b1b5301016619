package dev.candor.pipeline.spec;

import dev.candor.pipeline.gate.GateExpression;
import dev.candor.pipeline.gate.GateExpression.Ref;
import dev.candor.pipeline.gate.GateParser;
import dev.candor.pipeline.gate.GateSyntaxException;
import dev.candor.registry.RegistryLimits;
import dev.candor.stages.spi.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a pipeline's gates: each must parse, and each result it names must be {@code <stage id>.<name>} with a
 * stage of the pipeline and a name that stage declares in {@code Stage.results(config)} ({@code *} matching one
 * dotted segment). Errors point at the offending token inside the gate string.
 */
final class GateChecker {
    /** What the loader knows of a stage a gate may name. */
    record StageResults(String type, Optional<List<String>> results) {
        /** A stage whose type or config could not be read: its errors are reported already, so its names are not checked. */
        static StageResults unknown() {
            return new StageResults("", Optional.empty());
        }
    }

    private final Problems problems;
    private final Map<String, StageResults> stages;
    private final boolean stagesIntact;

    /**
     * @param stages       every stage id written in the file (valid or not), in file order
     * @param stagesIntact whether every stage was read; when not, a gate naming an unknown stage is not reported (the
     *                     stage may be one that could not be read, and that mistake is reported already)
     */
    GateChecker(Problems problems, Map<String, StageResults> stages, boolean stagesIntact) {
        this.problems = problems;
        this.stages = new LinkedHashMap<>(stages);
        this.stagesIntact = stagesIntact;
    }

    /** The parsed gates, in file order; a gate with errors is reported and left out. */
    List<GateExpression> check(List<GateSpec> gates) {
        List<GateExpression> parsed = new ArrayList<>();
        for (GateSpec gate : gates) {
            try {
                GateExpression e = GateParser.parse(gate.expression());
                boolean ok = true;
                for (Ref ref : e.refs()) {
                    ok &= checkRef(gate, ref);
                }
                if (ok) parsed.add(e);
            } catch (GateSyntaxException e) {
                problems.add(at(gate, e.offset()), "gate '" + shown(gate) + "': " + e.problem(), e.fix());
            }
        }
        return parsed;
    }

    private boolean checkRef(GateSpec gate, Ref ref) {
        String where = "gate '" + shown(gate) + "'";
        if (ref.name().isEmpty()) {
            List<String> owners = stages.entrySet().stream()
                    .filter(s -> s.getValue().results().map(r -> matches(r, ref.text())).orElse(false))
                    .map(Map.Entry::getKey).toList();
            problems.add(at(gate, ref.offset()), where + " names '" + ref.text() + "' without a stage",
                    owners.isEmpty() ? "write <stage id>.<result name>, such as eval.roc_auc"
                            : "did you mean '" + owners.get(0) + "." + ref.text() + "'? (write <stage id>.<result name>)");
            return false;
        }
        StageResults stage = stages.get(ref.stageId());
        if (stage == null) {
            if (!stagesIntact) return false;
            problems.add(at(gate, ref.offset()), where + " names unknown stage '" + ref.stageId() + "'",
                    stages.isEmpty() ? "add the stage, or remove the gate" : Suggestions.suggestValue(ref.stageId(), stages.keySet()));
            return false;
        }
        if (stage.results().isEmpty()) {
            return true;
        }
        List<String> declared = stage.results().get();
        if (declared.isEmpty()) {
            List<String> recording = stages.entrySet().stream()
                    .filter(s -> s.getValue().results().map(r -> !r.isEmpty()).orElse(false))
                    .map(s -> s.getKey() + " (" + s.getValue().type() + ")").toList();
            problems.add(at(gate, ref.offset()), where + " names stage '" + ref.stageId() + "' (" + stage.type()
                            + "), which records nothing a gate can use",
                    recording.isEmpty() ? "remove the gate, or add a stage that records results, such as evaluate"
                            : "gate on a stage that records results: " + String.join(", ", recording));
            return false;
        }
        if (matches(declared, ref.name())) {
            return true;
        }
        problems.add(at(gate, ref.nameOffset()), where + ": stage '" + ref.stageId() + "' (" + stage.type()
                + ") records no result '" + ref.name() + "'", suggest(ref.name(), declared, stage.type()));
        return false;
    }

    /** Did-you-mean over the declared names, with each {@code *} filled from what was written where possible. */
    private static String suggest(String written, List<String> declared, String type) {
        String[] parts = written.split("\\.", -1);
        List<String> candidates = new ArrayList<>();
        for (String pattern : declared) {
            String[] p = pattern.split("\\.", -1);
            if (p.length == parts.length) {
                StringBuilder filled = new StringBuilder();
                for (int i = 0; i < p.length; i++) filled.append(i == 0 ? "" : ".").append(p[i].equals("*") ? parts[i] : p[i]);
                candidates.add(filled.toString());
            } else {
                candidates.add(pattern);
            }
        }
        Optional<String> close = Suggestions.closest(written, candidates);
        String wild = declared.stream().anyMatch(n -> n.contains("*")) ? " (* is one name from the data)" : "";
        return close.map(c -> "did you mean '" + c + "'?")
                .orElse("use one of the results " + type + " records: " + String.join(", ", shortList(declared)) + wild);
    }

    private static List<String> shortList(List<String> declared) {
        // Interval bounds double the list without telling anyone anything new.
        List<String> plain = declared.stream().filter(n -> !n.endsWith("_ci_low") && !n.endsWith("_ci_high")).toList();
        boolean intervals = plain.size() < declared.size();
        List<String> out = new ArrayList<>(plain);
        if (intervals) out.add("<name>_ci_low/_ci_high");
        return out;
    }

    /** Whether {@code name} matches one of {@code patterns}, {@code *} standing for exactly one dotted segment. */
    static boolean matches(Collection<String> patterns, String name) {
        String[] parts = name.split("\\.", -1);
        for (String pattern : patterns) {
            String[] p = pattern.split("\\.", -1);
            if (p.length != parts.length) continue;
            boolean all = true;
            for (int i = 0; i < p.length && all; i++) all = p[i].equals("*") ? !parts[i].isEmpty() : p[i].equals(parts[i]);
            if (all) return true;
        }
        return false;
    }

    /** The gate as messages quote it: a long one only by its start, since every mistake in it is one message. */
    private static String shown(GateSpec gate) {
        return RegistryLimits.preview(gate.expression());
    }

    /** The column of offset {@code offset} in the gate: gates are one line, so it is the text's column plus it. */
    private static Position at(GateSpec gate, int offset) {
        return new Position(gate.position().line(), gate.position().column() + offset);
    }
}

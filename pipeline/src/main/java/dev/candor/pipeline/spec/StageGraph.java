package dev.candor.pipeline.spec;

import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.Suggestions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Checks how stages connect — inputs that name no stage, cycles, artifact kinds a stage cannot take, too few or too
 * many inputs — and resolves implied inputs: a dataset input left out is filled in when exactly one dataset lies
 * upstream of the listed inputs (an {@code evaluate} that lists only the model gets the data the model was trained
 * on). Anything else left out is an error: guessing a model or a second dataset would hide a mistake.
 */
final class StageGraph {
    private final Problems problems;
    private final List<StageDraft> drafts;
    private final Map<String, StageDraft> byId = new LinkedHashMap<>();
    private final Set<String> writtenIds = new HashSet<>();
    /** Input ids per stage that exist and are not the stage itself: the edges of the graph. */
    private final Map<String, List<String>> edges = new HashMap<>();
    private final Map<String, Optional<List<String>>> resolved = new HashMap<>();
    private final Set<String> resolving = new HashSet<>();

    StageGraph(List<StageDraft> drafts, Problems problems) {
        this.drafts = drafts;
        this.problems = problems;
        for (StageDraft draft : drafts) {
            draft.writtenId().ifPresent(writtenIds::add);
            draft.id().ifPresent(id -> byId.put(id, draft));
        }
    }

    /** Every stage's inputs, written then implied, by stage id (stages with invalid ids are left out). */
    Map<String, List<String>> resolve() {
        for (StageDraft draft : drafts) {
            checkInputsExist(draft);
        }
        reportCycles();
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String id : byId.keySet()) {
            result.put(id, resolve(id).orElse(edges.get(id)));
        }
        return result;
    }

    private void checkInputsExist(StageDraft draft) {
        String who = draft.id().map(id -> "stage '" + id + "'").orElse("the stage");
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < draft.inputs().size(); i++) {
            String input = draft.inputs().get(i);
            Node node = draft.inputNodes().get(i);
            if (draft.id().filter(input::equals).isPresent()) {
                problems.add(node, who + " lists itself as an input", "remove '" + input + "' from its inputs");
            } else if (byId.containsKey(input)) {
                valid.add(input);
            } else if (!writtenIds.contains(input)) {
                List<String> others = byId.keySet().stream().filter(id -> !draft.id().filter(id::equals).isPresent())
                        .toList();
                problems.add(node, who + " lists input '" + input + "', but no stage has that id",
                        Suggestions.closest(input, others).map(s -> "did you mean '" + s + "'?")
                                .orElse(others.isEmpty() ? "remove it" : "list one of: " + String.join(", ", others)));
            }
        }
        draft.id().ifPresent(id -> edges.put(id, List.copyOf(valid)));
    }

    /** Reports each cycle once, in the direction data would flow. */
    private void reportCycles() {
        for (Set<String> component : new StronglyConnected(byId.keySet(), edges).components()) {
            if (component.size() < 2) {
                continue;
            }
            String start = byId.keySet().stream().filter(component::contains).findFirst().orElseThrow();
            List<String> cycle = cycleFrom(start, component);
            String feeder = cycle.get(cycle.size() - 2);
            StageDraft first = byId.get(start);
            Node at = first.inputNodes().get(first.inputs().indexOf(feeder));
            problems.add(at, "stages form a cycle: " + String.join(" → ", cycle),
                    "remove one of these inputs: a stage can only take inputs from stages that do not depend on it");
        }
    }

    /** A cycle start → ... → start following data flow (from an input to the stage that lists it). */
    private List<String> cycleFrom(String start, Set<String> component) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (String consumer : byId.keySet()) {
                if (component.contains(consumer) && edges.get(consumer).contains(current)) {
                    if (consumer.equals(start)) {
                        List<String> path = new ArrayList<>(List.of(start));
                        for (String s = current; !s.equals(start); s = cameFrom.get(s)) {
                            path.add(1, s);
                        }
                        path.add(start);
                        return path;
                    }
                    if (cameFrom.putIfAbsent(consumer, current) == null) {
                        queue.add(consumer);
                    }
                }
            }
        }
        throw new IllegalStateException("no cycle through '" + start + "' in its strongly connected component");
    }

    /**
     * The resolved inputs of a stage, checking its kinds on the way; empty when they cannot be known (an unknown
     * type or a cycle upstream, already reported).
     */
    private Optional<List<String>> resolve(String id) {
        Optional<List<String>> done = resolved.get(id);
        if (done != null) {
            return done;
        }
        if (!resolving.add(id)) {
            return Optional.empty();
        }
        Optional<List<String>> result = check(byId.get(id), id);
        resolving.remove(id);
        resolved.put(id, result);
        return result;
    }

    private Optional<List<String>> check(StageDraft draft, String id) {
        List<String> listed = edges.get(id);
        if (draft.stage().isEmpty()) {
            return Optional.empty();
        }
        Stage<?> stage = draft.stage().get();
        // Uncertain when an input is unknown or the stage itself (already reported): what is missing is then unclear.
        boolean certain = draft.inputsReadable() && listed.size() == draft.inputs().size()
                && listed.stream().allMatch(input -> byId.get(input).stage().isPresent());
        Map<ArtifactKind, List<String>> byKind = new EnumMap<>(ArtifactKind.class);
        for (String input : listed) {
            Optional<Stage<?>> upstream = byId.get(input).stage();
            if (upstream.isEmpty()) {
                continue;
            }
            ArtifactKind kind = upstream.get().output();
            if (stage.inputs().stream().noneMatch(port -> port.kind() == kind)) {
                problems.add(nodeOf(draft, input), "stage '" + id + "' (" + stage.type() + ") takes no " + kind.label()
                        + " input, but '" + input + "' produces " + article(kind),
                        "remove '" + input + "' from its inputs; it takes " + portsInWords(stage));
                certain = false;
            } else {
                byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(input);
            }
        }
        List<String> implied = new ArrayList<>();
        boolean ok = true;
        ArtifactKind impliable = null;
        String impliableRole = null;
        for (Map.Entry<ArtifactKind, List<InputPort>> port : portsByKind(stage).entrySet()) {
            ArtifactKind kind = port.getKey();
            int min = port.getValue().stream().mapToInt(InputPort::min).sum();
            int max = port.getValue().stream().mapToInt(InputPort::max).sum();
            String role = port.getValue().get(0).role();
            List<String> given = byKind.getOrDefault(kind, List.of());
            if (given.size() > max) {
                problems.add(nodeOf(draft, given.get(max)), "stage '" + id + "' takes at most " + max + " "
                        + kind.label() + " input" + (max == 1 ? "" : "s") + " (" + role + "), but lists "
                        + given.size() + ": " + String.join(", ", given), "keep " + (max == 1 ? "one" : max));
                ok = false;
            } else if (given.size() < min && certain) {
                if (kind == ArtifactKind.DATASET && given.isEmpty() && min == 1) {
                    impliable = kind;
                    impliableRole = role;
                } else if (!given.isEmpty()) {
                    problems.add(draft.inputsPosition(), "stage '" + id + "' needs at least " + min + " " + kind.label()
                            + " inputs (" + role + "), but lists " + given.size() + ": " + String.join(", ", given),
                            "list " + (min - given.size()) + " more");
                    ok = false;
                } else {
                    reportMissing(draft, id, kind, role, listed, Set.of());
                    ok = false;
                }
            }
        }
        // Only once every other input is in place: the implied dataset is found through them, and "no dataset
        // upstream" would merely repeat an error already reported about a missing model.
        if (impliable != null && ok) {
            Optional<Set<String>> upstream = datasetsUpstream(listed);
            if (upstream.isEmpty()) {
                ok = false;
            } else if (upstream.get().size() == 1) {
                implied.add(upstream.get().iterator().next());
            } else {
                reportMissing(draft, id, impliable, impliableRole, listed, upstream.get());
                ok = false;
            }
        } else if (impliable != null) {
            ok = false;
        }
        if (!ok || !certain) {
            return Optional.empty();
        }
        List<String> all = new ArrayList<>(listed);
        all.addAll(implied);
        return Optional.of(List.copyOf(all));
    }

    /** The nearest dataset on each path up from the listed inputs; empty when some upstream stage is unknown. */
    private Optional<Set<String>> datasetsUpstream(List<String> listed) {
        Set<String> found = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(listed);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            if (!seen.add(current)) {
                continue;
            }
            Optional<Stage<?>> stage = byId.get(current).stage();
            if (stage.isEmpty()) {
                return Optional.empty();
            }
            if (stage.get().output() == ArtifactKind.DATASET) {
                found.add(current);
                continue;
            }
            Optional<List<String>> inputs = resolve(current);
            if (inputs.isEmpty()) {
                return Optional.empty();
            }
            queue.addAll(inputs.get());
        }
        return Optional.of(found);
    }

    private void reportMissing(StageDraft draft, String id, ArtifactKind kind, String role, List<String> listed,
                               Set<String> ambiguous) {
        String need = "stage '" + id + "' needs " + article(kind) + " input (" + role + ")";
        if (!ambiguous.isEmpty()) {
            problems.add(draft.inputsPosition(), need + ", and several lie upstream of its inputs ("
                    + String.join(", ", ambiguous) + "), so none can be implied", "list the one to use in inputs");
            return;
        }
        String found = listed.isEmpty() ? "it lists no inputs" : listed.stream()
                .map(input -> "'" + input + "' produces " + article(byId.get(input).stage().orElseThrow().output()))
                .collect(Collectors.joining(", "));
        List<String> candidates = byId.values().stream()
                .filter(other -> other.stage().filter(s -> s.output() == kind).isPresent())
                .map(other -> other.id().orElseThrow())
                .filter(other -> !other.equals(id))
                .toList();
        problems.add(draft.inputsPosition(), need + ", but " + found,
                "list " + producer(kind) + " in inputs" + (candidates.isEmpty()
                        ? " (this pipeline has none yet: add one)"
                        : " (here: " + String.join(", ", candidates) + ")"));
    }

    private static Map<ArtifactKind, List<InputPort>> portsByKind(Stage<?> stage) {
        Map<ArtifactKind, List<InputPort>> ports = new EnumMap<>(ArtifactKind.class);
        for (InputPort port : stage.inputs()) {
            ports.computeIfAbsent(port.kind(), k -> new ArrayList<>()).add(port);
        }
        return ports;
    }

    private static String portsInWords(Stage<?> stage) {
        if (stage.inputs().isEmpty()) {
            return "no inputs";
        }
        return stage.inputs().stream().map(p -> article(p.kind()) + " (" + p.role() + ")")
                .collect(Collectors.joining(" and "));
    }

    private static Node nodeOf(StageDraft draft, String input) {
        return draft.inputNodes().get(draft.inputs().indexOf(input));
    }

    static String article(ArtifactKind kind) {
        String label = kind.label();
        return ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label;
    }

    private static String producer(ArtifactKind kind) {
        return switch (kind) {
            case DATASET -> "an ingest stage's id";
            case MODEL -> "a training stage's id";
            case EVALUATION -> "an evaluation stage's id";
            case EXPLANATION -> "an explanation stage's id";
        };
    }
}

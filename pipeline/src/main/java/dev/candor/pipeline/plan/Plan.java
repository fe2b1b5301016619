package dev.candor.pipeline.plan;

import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.spec.StageSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages of a pipeline as a DAG in a dependency order (a topological order that keeps the YAML order where it
 * can), each with the ids of the stages whose outputs it receives. Pure: built from a validated spec.
 */
public record Plan(List<Node> nodes) {

    /** One stage and the stage ids it takes its inputs from, in the order the stage receives them. */
    public record Node(StageSpec stage, List<String> inputs, int position) {
        public Node {
            inputs = List.copyOf(inputs);
        }

        public String id() {
            return stage.id();
        }
    }

    public Plan {
        nodes = List.copyOf(nodes);
    }

    public static Plan of(PipelineSpec spec) {
        Map<String, StageSpec> byId = new LinkedHashMap<>();
        for (StageSpec s : spec.stages()) byId.put(s.id(), s);
        Map<String, Integer> state = new HashMap<>(); // 1 = visiting, 2 = done
        List<Node> order = new ArrayList<>();
        for (StageSpec s : spec.stages()) visit(s, byId, state, order);
        return new Plan(order);
    }

    private static void visit(StageSpec s, Map<String, StageSpec> byId, Map<String, Integer> state, List<Node> order) {
        Integer st = state.get(s.id());
        if (st != null && st == 2) return;
        if (st != null) throw new IllegalStateException("cycle through stage '" + s.id() + "' (the validator should have caught it)");
        state.put(s.id(), 1);
        for (String in : s.resolvedInputs()) {
            StageSpec dep = byId.get(in);
            if (dep == null) throw new IllegalStateException("stage '" + s.id() + "' names unknown input '" + in + "'");
            visit(dep, byId, state, order);
        }
        state.put(s.id(), 2);
        order.add(new Node(s, s.resolvedInputs(), order.size()));
    }

    public Node node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage '" + id + "' in the plan"));
    }
}

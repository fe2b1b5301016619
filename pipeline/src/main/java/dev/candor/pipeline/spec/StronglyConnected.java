package dev.candor.pipeline.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The strongly connected components of a small directed graph (Tarjan 1972): every component of two or more nodes
 * holds a cycle, and reporting one cycle per component names each tangle once.
 */
final class StronglyConnected {
    private final Collection<String> nodes;
    private final Map<String, List<String>> edges;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> lowLink = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new LinkedHashSet<>();
    private final List<Set<String>> components = new ArrayList<>();
    private int counter;

    StronglyConnected(Collection<String> nodes, Map<String, List<String>> edges) {
        this.nodes = nodes;
        this.edges = edges;
    }

    List<Set<String>> components() {
        for (String node : nodes) {
            if (!index.containsKey(node)) {
                visit(node);
            }
        }
        return List.copyOf(components);
    }

    // Recursion depth is at most the number of stages, which a pipeline file keeps small.
    private void visit(String node) {
        index.put(node, counter);
        lowLink.put(node, counter);
        counter++;
        stack.push(node);
        onStack.add(node);
        for (String next : edges.getOrDefault(node, List.of())) {
            if (!index.containsKey(next)) {
                visit(next);
                lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
            } else if (onStack.contains(next)) {
                lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
            }
        }
        if (lowLink.get(node).equals(index.get(node))) {
            Set<String> component = new LinkedHashSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }
}

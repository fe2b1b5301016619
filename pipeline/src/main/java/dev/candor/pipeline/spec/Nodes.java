package dev.candor.pipeline.spec;

import dev.candor.stages.spi.Suggestions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Small readers over SnakeYAML Engine nodes: positions, descriptions for messages, and keyed mapping access. */
final class Nodes {
    private Nodes() {
    }

    /** The node's start, 1-based (SnakeYAML Engine counts from 0). */
    static Position position(Node node) {
        return node.getStartMark()
                .map(mark -> new Position(mark.getLine() + 1, mark.getColumn() + 1))
                .orElse(Position.start());
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    static boolean isString(Node node) {
        return node instanceof ScalarNode && Tag.STR.equals(node.getTag());
    }

    static Optional<String> string(Node node) {
        return isString(node) ? Optional.of(((ScalarNode) node).getValue()) : Optional.empty();
    }

    /** What a node is, in words for "found ..." ("the string 'x'", "the integer 30", "a list", "a map"). */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        String value = scalar.getValue();
        if (Tag.STR.equals(tag)) {
            return "the string '" + value + "'";
        }
        if (Tag.INT.equals(tag)) {
            return "the integer " + value;
        }
        if (Tag.FLOAT.equals(tag)) {
            return "the number " + value;
        }
        if (Tag.BOOL.equals(tag)) {
            return "the boolean " + value;
        }
        if (Tag.NULL.equals(tag)) {
            return "no value";
        }
        return "'" + value + "'";
    }

    /**
     * The entries of a mapping by key text, first occurrence winning (the parser has already reported duplicates).
     * Keys are scalars: the parser refuses others.
     */
    static Map<String, NodeTuple> entries(MappingNode mapping) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key) {
                entries.putIfAbsent(key.getValue(), tuple);
            }
        }
        return entries;
    }

    /**
     * The entries of a mapping whose keys must be among {@code validKeys}; each other key is reported with the
     * closest valid key.
     *
     * @param where the mapping, in words for messages ("spec", "stage 'lr'")
     */
    static Map<String, NodeTuple> knownEntries(MappingNode mapping, List<String> validKeys, String where,
                                               Problems problems) {
        Map<String, NodeTuple> entries = entries(mapping);
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            if (!validKeys.contains(entry.getKey())) {
                Suggestions.closest(entry.getKey(), validKeys).ifPresent(key -> problems.misspelled(mapping, key));
                problems.add(entry.getValue().getKeyNode(),
                        "unknown key '" + entry.getKey() + "' in " + where,
                        Names.suggestKey(entry.getKey(), validKeys));
            }
        }
        entries.keySet().retainAll(validKeys);
        return entries;
    }

    /** The value under a key, treating an explicit null ({@code key:} or {@code key: ~}) as absent. */
    static Optional<Node> value(Map<String, NodeTuple> entries, String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null || isNull(tuple.getValueNode())) {
            return Optional.empty();
        }
        return Optional.of(tuple.getValueNode());
    }
}

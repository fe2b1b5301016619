package dev.candor.pipeline.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML value as canonical JSON: keys sorted, no whitespace, numbers by value ({@code 0.50} and {@code 5e-1} are
 * both {@code 0.5}), strings as written. Stage fingerprints hash it, so reformatting a file or reordering keys does
 * not rerun a stage, while any change of meaning does.
 */
final class CanonicalJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private CanonicalJson() {
    }

    /** The canonical JSON of a node; an absent node (null) is the empty object. */
    static String of(Node node) {
        try {
            return MAPPER.writeValueAsString(node == null ? JSON.objectNode() : toJson(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a YAML tree could not be written as JSON", e);
        }
    }

    private static JsonNode toJson(Node node) {
        if (node instanceof MappingNode mapping) {
            Map<String, Node> sorted = new TreeMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                sorted.putIfAbsent(((ScalarNode) tuple.getKeyNode()).getValue(), tuple.getValueNode());
            }
            ObjectNode object = JSON.objectNode();
            sorted.forEach((key, value) -> object.set(key, toJson(value)));
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = JSON.arrayNode();
            sequence.getValue().forEach(item -> array.add(toJson(item)));
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return JSON.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            return ScalarValues.bool(text).<JsonNode>map(JSON::booleanNode).orElse(JSON.textNode(text));
        }
        if (Tag.INT.equals(tag)) {
            Optional<BigInteger> value = ScalarValues.integer(text);
            return value.<JsonNode>map(JSON::numberNode).orElse(JSON.textNode(text));
        }
        if (Tag.FLOAT.equals(tag)) {
            // JSON has no infinity or NaN: those keep their YAML spelling, as strings.
            return ScalarValues.decimal(text).filter(Double::isFinite).<JsonNode>map(JSON::numberNode)
                    .orElse(JSON.textNode(text));
        }
        return JSON.textNode(text);
    }
}

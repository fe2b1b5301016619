package dev.candor.pipeline.spec;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Parses pipeline YAML into a node tree that keeps every node's line and column, and holds it to "data only".
 *
 * <p>We compose nodes rather than construct objects: construction is where YAML libraries turn tags into objects,
 * and positions are lost there. On top of the parser this refuses what a pipeline never needs and what makes a file
 * mean something other than what it shows: explicit non-standard tags ({@code !!python/object}, {@code !Foo},
 * {@code !!binary}), anchors and aliases (a value defined in one place and used in another — a pipeline should read
 * top to bottom, and aliases are also the "billion laughs" amplifier), duplicate keys (YAML keeps one silently), and
 * keys that are not plain scalars.
 */
final class YamlParser {
    /** The tags of plain data; the YAML 1.2 core schema resolves untagged scalars to these. */
    private static final Set<Tag> DATA_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.SEQ, Tag.MAP);

    /** Far deeper than any pipeline; bounds the recursion of everything that walks the tree after the parser. */
    static final int MAX_DEPTH = 64;

    private YamlParser() {
    }

    /**
     * The root node, or empty when the text is not a single YAML document of plain data (the reasons are in
     * {@code problems}). Duplicate keys are reported but do not stop the caller from validating the rest.
     */
    static Optional<Node> parse(String text, String label, Problems problems) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(label)
                .setSchema(new CoreSchema())
                .setUseMarks(true)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(10)
                // The loader's file-size check comes first; this bounds any text that reaches the parser another way.
                .setCodePointLimit(SpecLimits.MAX_FILE_BYTES)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Position where = e.getProblemMark().or(e::getContextMark).map(YamlParser::position).orElse(Position.start());
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            problems.add(where, "YAML syntax error: " + context + e.getProblem(),
                    "fix the YAML at this place (indent with spaces, close every bracket and quote)");
            return Optional.empty();
        } catch (YamlEngineException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("The incoming YAML document exceeds the limit")) {
                problems.add(Position.start(), SpecLimits.fileTooLarge(-1), SpecLimits.FILE_FIX);
                return Optional.empty();
            }
            problems.add(Position.start(), "YAML error: " + e.getMessage(), "fix the YAML so that it parses");
            return Optional.empty();
        } catch (StackOverflowError e) {
            // The composer recurses per nesting level; a hostile file of nested brackets must not take the caller down.
            problems.add(Position.start(), "the YAML nests too deeply to read",
                    "a pipeline needs no more than " + MAX_DEPTH + " levels of nesting");
            return Optional.empty();
        }
        if (root.isEmpty()) {
            problems.add(Position.start(), "the file is empty, or holds only comments",
                    "start the pipeline with 'apiVersion: candor/v1' and 'kind: Pipeline'");
            return Optional.empty();
        }
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean plainData = checkDataOnly(root.get(), 0, seen, problems);
        return plainData ? root : Optional.empty();
    }

    /** Walks the tree once; false when it found a tag or anchor, after which the tree is not safe to walk further. */
    private static boolean checkDataOnly(Node node, int depth, Set<Node> seen, Problems problems) {
        if (depth > MAX_DEPTH) {
            problems.add(node, "the YAML nests more than " + MAX_DEPTH + " levels deep",
                    "a pipeline needs no more than " + MAX_DEPTH + " levels of nesting");
            return false;
        }
        if (!seen.add(node)) {
            // A node reached twice is an alias; its anchor has been reported where it was defined.
            return false;
        }
        boolean ok = true;
        if (node.getAnchor().isPresent()) {
            problems.add(node, "anchor '&" + node.getAnchor().get().getValue() + "' (and its aliases) is not allowed",
                    "write the value out in every place that uses it: a pipeline should read top to bottom");
            ok = false;
        }
        if (!DATA_TAGS.contains(node.getTag())) {
            problems.add(node, "tag '" + shortTag(node.getTag()) + "' is not allowed: pipeline YAML is data only",
                    "remove the tag and write a plain string, number, boolean, list or map");
            ok = false;
        }
        if (node instanceof MappingNode mapping) {
            Map<String, Position> firstKeys = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node key = tuple.getKeyNode();
                if (key instanceof ScalarNode scalar) {
                    Position previous = firstKeys.putIfAbsent(scalar.getValue(), Nodes.position(key));
                    if (previous != null) {
                        problems.add(key, "duplicate key '" + scalar.getValue() + "' (first written at line "
                                + previous.line() + ")", "keep one of them");
                    }
                } else {
                    problems.add(key, "a key must be a plain name, found " + Nodes.describe(key),
                            "write the key as a plain name such as 'label'");
                    ok = false;
                }
                ok &= checkDataOnly(key, depth + 1, seen, problems);
                ok &= checkDataOnly(tuple.getValueNode(), depth + 1, seen, problems);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                ok &= checkDataOnly(item, depth + 1, seen, problems);
            }
        }
        return ok;
    }

    private static String shortTag(Tag tag) {
        String value = tag.getValue();
        return value.startsWith(Tag.PREFIX) ? "!!" + value.substring(Tag.PREFIX.length()) : value;
    }

    private static Position position(Mark mark) {
        return new Position(mark.getLine() + 1, mark.getColumn() + 1);
    }
}

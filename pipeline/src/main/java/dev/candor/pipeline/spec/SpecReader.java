package dev.candor.pipeline.spec;

import dev.candor.registry.RegistryLimits;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageCatalog;
import dev.candor.stages.spi.Suggestions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads the fixed part of the format — {@code apiVersion}, {@code kind}, {@code metadata}, {@code spec} and each
 * stage's {@code id}, {@code type} and {@code inputs} — reporting every mistake and carrying on past it, so one run
 * of the validator shows them all.
 */
final class SpecReader {
    static final String API_VERSION = "candor/v1";
    static final String KIND = "Pipeline";
    static final List<String> RUNNERS = List.of("direct", "flink", "spark");
    static final Pattern STAGE_ID = Pattern.compile("[a-z][a-z0-9_-]*");
    static final Pattern DEVICE = Pattern.compile("auto|cpu|cuda(:[0-9]+)?");
    static final List<String> TOP_KEYS = List.of("apiVersion", "kind", "metadata", "spec");
    static final List<String> METADATA_KEYS = List.of("name", "domain", "owner", "description");
    static final List<String> SPEC_KEYS = List.of("seed", "runner", "device", "stages", "gates");
    static final List<String> STAGE_KEYS = List.of("id", "type", "inputs", "with");

    private final StageCatalog catalog;
    private final Problems problems;

    /** What the reader found; fields it could not read hold their defaults, with the errors already reported. */
    record Document(Metadata metadata, long seed, String runner, String device, List<StageDraft> stages,
                    List<GateSpec> gates) {
    }

    SpecReader(StageCatalog catalog, Problems problems) {
        this.catalog = catalog;
        this.problems = problems;
    }

    Document read(Node root) {
        Document empty = new Document(new Metadata("", "", "", ""), 0, "direct", "auto", List.of(), List.of());
        if (!(root instanceof MappingNode top)) {
            problems.add(root, "a pipeline file must be a map with apiVersion, kind, metadata and spec, found "
                    + Nodes.describe(root), "start the file with 'apiVersion: candor/v1' and 'kind: Pipeline'");
            return empty;
        }
        Map<String, NodeTuple> entries = Nodes.knownEntries(top, TOP_KEYS, "the top level", problems);
        Position start = Nodes.position(top);
        checkConstant(top, entries, "apiVersion", API_VERSION, "this engine reads pipeline format " + API_VERSION);
        checkConstant(top, entries, "kind", KIND, "a pipeline file has kind " + KIND);
        Metadata metadata = readMetadata(top, entries);
        Optional<MappingNode> spec = mapping(top, entries, "spec",
                "add a 'spec:' block with 'seed' and 'stages'");
        if (spec.isEmpty()) {
            return new Document(metadata, 0, "direct", "auto", List.of(), List.of());
        }
        Map<String, NodeTuple> specEntries = Nodes.knownEntries(spec.get(), SPEC_KEYS, "spec", problems);
        long seed = readSeed(specEntries);
        String runner = readChoice(specEntries, "runner", "direct");
        String device = readDevice(specEntries);
        List<StageDraft> stages = readStages(spec.get(), specEntries);
        List<GateSpec> gates = readGates(specEntries);
        return new Document(metadata, seed, runner, device, stages, gates);
    }

    private void checkConstant(MappingNode top, Map<String, NodeTuple> entries, String key, String expected,
                               String why) {
        Optional<Node> node = Nodes.value(entries, key);
        if (node.isEmpty()) {
            if (problems.wasMisspelled(top, key)) {
                return;
            }
            problems.add(Nodes.position(top), "missing '" + key + "' (" + why + ")", "add '" + key + ": " + expected + "'");
        } else if (!Nodes.string(node.get()).filter(expected::equals).isPresent()) {
            problems.add(node.get(), "'" + key + "' is " + Nodes.describe(node.get()) + ", but " + why,
                    "write '" + key + ": " + expected + "'");
        }
    }

    private Metadata readMetadata(MappingNode top, Map<String, NodeTuple> entries) {
        Optional<MappingNode> node = mapping(top, entries, "metadata",
                "add 'metadata: {name: my-pipeline}' (name required; domain, owner and description optional)");
        if (node.isEmpty()) {
            return new Metadata("", "", "", "");
        }
        Map<String, NodeTuple> fields = Nodes.knownEntries(node.get(), METADATA_KEYS, "metadata", problems);
        Optional<Node> nameNode = Nodes.value(fields, "name");
        String name = text(fields, "name", "metadata");
        if (nameNode.isEmpty() && !problems.wasMisspelled(node.get(), "name")) {
            problems.add(Nodes.position(node.get()), "metadata has no 'name'",
                    "add 'name:' with the pipeline's name, such as 'name: credit-risk'");
        } else if (name != null && name.isBlank()) {
            problems.add(nameNode.get(), "metadata.name is empty", "write the pipeline's name, such as 'name: credit-risk'");
        } else if (name != null && SpecLimits.fits(name, RegistryLimits.PIPELINE_NAME, "metadata.name", nameNode.get(), problems)
                && name.chars().anyMatch(Character::isISOControl)) {
            problems.add(nameNode.get(), "metadata.name holds a control character (a line break, tab or \\0)",
                    "write the pipeline's name as plain text on one line, such as 'name: credit-risk'");
        }
        name = name == null ? "" : name;
        return new Metadata(name, text(fields, "domain", "metadata"), text(fields, "owner", "metadata"),
                text(fields, "description", "metadata"));
    }

    /** The string under a key; null when absent, or when not a string (reported). */
    private String text(Map<String, NodeTuple> entries, String key, String where) {
        Optional<Node> node = Nodes.value(entries, key);
        if (node.isEmpty()) {
            return null;
        }
        Optional<String> value = Nodes.string(node.get());
        if (value.isEmpty()) {
            problems.add(node.get(), where + "." + key + " must be a string, found " + Nodes.describe(node.get()),
                    node.get() instanceof ScalarNode s ? "put it in quotes: '" + s.getValue() + "'" : "write one line of text");
        }
        return value.orElse(null);
    }

    private Optional<MappingNode> mapping(MappingNode top, Map<String, NodeTuple> entries, String key,
                                          String fixWhenMissing) {
        Optional<Node> node = Nodes.value(entries, key);
        if (node.isEmpty()) {
            if (!problems.wasMisspelled(top, key)) {
                problems.add(entries.containsKey(key) ? Nodes.position(entries.get(key).getKeyNode())
                        : Nodes.position(top), "missing '" + key + "'", fixWhenMissing);
            }
            return Optional.empty();
        }
        if (!(node.get() instanceof MappingNode map)) {
            problems.add(node.get(), "'" + key + "' must be a map, found " + Nodes.describe(node.get()),
                    "write 'key: value' lines indented under '" + key + ":'");
            return Optional.empty();
        }
        return Optional.of(map);
    }

    private long readSeed(Map<String, NodeTuple> spec) {
        Optional<Node> node = Nodes.value(spec, "seed");
        if (node.isEmpty()) {
            return 0;
        }
        Optional<BigInteger> value = node.get() instanceof ScalarNode s && Tag.INT.equals(s.getTag())
                ? ScalarValues.integer(s.getValue()) : Optional.empty();
        if (value.isEmpty() || value.get().bitLength() > 63) {
            problems.add(node.get(), "spec.seed must be a whole number (64-bit), found " + Nodes.describe(node.get()),
                    "write a whole number such as 'seed: 42'" + (Nodes.isString(node.get()) ? ", without quotes" : ""));
            return 0;
        }
        return value.get().longValue();
    }

    private String readChoice(Map<String, NodeTuple> spec, String key, String fallback) {
        Optional<Node> node = Nodes.value(spec, key);
        if (node.isEmpty()) {
            return fallback;
        }
        Optional<String> value = Nodes.string(node.get()).filter(RUNNERS::contains);
        if (value.isEmpty()) {
            String written = node.get() instanceof ScalarNode s ? s.getValue() : "";
            problems.add(node.get(), "spec." + key + " is " + Nodes.describe(node.get()) + ", which is not a runner",
                    Suggestions.suggestValue(written, RUNNERS));
            return fallback;
        }
        return value.get();
    }

    private String readDevice(Map<String, NodeTuple> spec) {
        Optional<Node> node = Nodes.value(spec, "device");
        if (node.isEmpty()) {
            return "auto";
        }
        Optional<String> value = Nodes.string(node.get()).filter(d -> DEVICE.matcher(d).matches());
        if (value.isEmpty()) {
            problems.add(node.get(), "spec.device must be auto, cpu, cuda or cuda:N, found " + Nodes.describe(node.get()),
                    "write 'device: auto' (CUDA when available, else CPU), 'cpu', 'cuda' or 'cuda:N' with N the GPU index");
            return "auto";
        }
        return value.get();
    }

    private List<StageDraft> readStages(MappingNode specNode, Map<String, NodeTuple> spec) {
        Position specPosition = Nodes.position(specNode);
        Optional<Node> node = Nodes.value(spec, "stages");
        if (node.isEmpty()) {
            if (problems.wasMisspelled(specNode, "stages")) {
                return List.of();
            }
            problems.add(spec.containsKey("stages") ? Nodes.position(spec.get("stages").getKeyNode()) : specPosition,
                    "the pipeline has no stages", "add a list of stages under 'spec.stages', starting with an ingest stage");
            return List.of();
        }
        if (!(node.get() instanceof SequenceNode list)) {
            problems.add(node.get(), "spec.stages must be a list of stages, found " + Nodes.describe(node.get()),
                    "write each stage as a list item starting with '- id: ...'");
            return List.of();
        }
        if (list.getValue().isEmpty()) {
            problems.add(list, "spec.stages is empty", "add at least one stage, such as an ingest stage");
            return List.of();
        }
        List<StageDraft> drafts = new ArrayList<>();
        Map<String, Position> firstIds = new HashMap<>();
        for (Node item : list.getValue()) {
            if (!(item instanceof MappingNode stage)) {
                problems.add(item, "a stage must be a map with id, type, inputs and with, found " + Nodes.describe(item),
                        "write the stage as '- id: ...' with 'type:' (and 'inputs:', 'with:') indented below it");
                continue;
            }
            drafts.add(readStage(stage, firstIds));
        }
        return drafts;
    }

    private StageDraft readStage(MappingNode node, Map<String, Position> firstIds) {
        Map<String, NodeTuple> entries = Nodes.knownEntries(node, STAGE_KEYS, "a stage", problems);
        Position position = Nodes.position(node);
        Optional<String> id = readId(node, entries, position, firstIds);
        String who = id.map(i -> "stage '" + i + "'").orElse("the stage");
        Optional<Stage<?>> stage = readType(node, entries, position, who);
        List<String> inputs = new ArrayList<>();
        List<Node> inputNodes = new ArrayList<>();
        Node inputsNode = Nodes.value(entries, "inputs").orElse(null);
        if (inputsNode instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                Optional<String> input = Nodes.string(item);
                if (input.isEmpty()) {
                    problems.add(item, who + ": each input must be a stage id, found " + Nodes.describe(item),
                            "write the id of an earlier stage, such as 'data'");
                } else if (inputs.contains(input.get())) {
                    problems.add(item, who + " lists input '" + input.get() + "' twice", "list each input once");
                } else {
                    inputs.add(input.get());
                    inputNodes.add(item);
                }
            }
        } else if (inputsNode != null) {
            problems.add(inputsNode, who + ": 'inputs' must be a list of stage ids, found " + Nodes.describe(inputsNode),
                    inputsNode instanceof ScalarNode s ? "write it as a list: [" + s.getValue() + "]"
                            : "write a list such as [data]");
        }
        Node withNode = Nodes.value(entries, "with").orElse(null);
        Position withPosition = entries.containsKey("with") ? Nodes.position(entries.get("with").getKeyNode()) : position;
        return new StageDraft(Nodes.value(entries, "id").flatMap(Nodes::string), id, stage, inputs, inputNodes,
                inputsNode, withNode, withPosition, position);
    }

    private Optional<String> readId(MappingNode stage, Map<String, NodeTuple> entries, Position position,
                                    Map<String, Position> firstIds) {
        Optional<Node> node = Nodes.value(entries, "id");
        if (node.isEmpty()) {
            if (problems.wasMisspelled(stage, "id")) {
                return Optional.empty();
            }
            problems.add(position, "a stage has no 'id'", "add 'id:' with a short name, such as 'id: data'");
            return Optional.empty();
        }
        Optional<String> id = Nodes.string(node.get());
        if (id.isEmpty() || !STAGE_ID.matcher(id.get()).matches()) {
            String written = node.get() instanceof ScalarNode s ? s.getValue() : "";
            problems.add(node.get(), "stage id " + (id.isPresent() ? "'" + written + "'" : Nodes.describe(node.get()))
                    + " is not valid: ids are lower-case letters, digits, '-' and '_', starting with a letter",
                    "rename it" + suggestedId(written).map(s -> ", such as '" + s + "'").orElse(""));
            return Optional.empty();
        }
        if (!SpecLimits.fits(id.get(), RegistryLimits.STAGE_ID, "stage id", node.get(), problems)) {
            return Optional.empty();
        }
        Position previous = firstIds.putIfAbsent(id.get(), Nodes.position(node.get()));
        if (previous != null) {
            problems.add(node.get(), "duplicate stage id '" + id.get() + "' (first used at line " + previous.line() + ")",
                    "give each stage its own id");
            return Optional.empty();
        }
        return id;
    }

    private static Optional<String> suggestedId(String written) {
        String s = written.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^[^a-z]+", "");
        return STAGE_ID.matcher(s).matches() ? Optional.of(s) : Optional.empty();
    }

    private Optional<Stage<?>> readType(MappingNode stageNode, Map<String, NodeTuple> entries, Position position,
                                        String who) {
        Optional<Node> node = Nodes.value(entries, "type");
        String known = String.join(", ", catalog.types());
        if (node.isEmpty()) {
            if (problems.wasMisspelled(stageNode, "type")) {
                return Optional.empty();
            }
            problems.add(position, who + " has no 'type'", "add 'type:' with one of: " + known);
            return Optional.empty();
        }
        Optional<String> type = Nodes.string(node.get());
        if (type.isEmpty()) {
            problems.add(node.get(), who + ": 'type' must be a stage type, found " + Nodes.describe(node.get()),
                    "write one of: " + known);
            return Optional.empty();
        }
        Optional<Stage<?>> stage = catalog.find(type.get());
        if (stage.isEmpty()) {
            problems.add(node.get(), who + " has unknown type '" + type.get() + "'",
                    Suggestions.suggestValue(type.get(), catalog.types()));
        }
        return stage;
    }

    /** Where a scalar's text starts: after the opening quote of a quoted string, so gate errors point at the token. */
    private static Position textStart(Node item) {
        Position p = Nodes.position(item);
        if (item instanceof ScalarNode scalar && (scalar.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED
                || scalar.getScalarStyle() == ScalarStyle.SINGLE_QUOTED)) {
            return new Position(p.line(), p.column() + 1);
        }
        return p;
    }

    private List<GateSpec> readGates(Map<String, NodeTuple> spec) {
        Optional<Node> node = Nodes.value(spec, "gates");
        if (node.isEmpty()) {
            return List.of();
        }
        if (!(node.get() instanceof SequenceNode list)) {
            problems.add(node.get(), "spec.gates must be a list of conditions, found " + Nodes.describe(node.get()),
                    "write each gate as a list item, such as - \"eval.roc_auc >= 0.9\"");
            return List.of();
        }
        List<GateSpec> gates = new ArrayList<>();
        for (Node item : list.getValue()) {
            Optional<String> gate = Nodes.string(item).filter(g -> !g.isBlank());
            if (gate.isEmpty()) {
                problems.add(item, "a gate must be a condition written as a string, found " + Nodes.describe(item),
                        "write it in quotes, such as \"eval.roc_auc >= 0.9\"");
            } else if (SpecLimits.fits(gate.get(), RegistryLimits.GATE_EXPRESSION, "the gate", textStart(item), problems)) {
                gates.add(new GateSpec(gate.get(), textStart(item)));
            }
        }
        return gates;
    }
}

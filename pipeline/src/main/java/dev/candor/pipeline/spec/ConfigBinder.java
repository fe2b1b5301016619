package dev.candor.pipeline.spec;

import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataPath;
import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.Required;
import dev.candor.stages.spi.Suggestions;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * Binds a stage's {@code with:} block to its config record by reflection over the record's components, reporting
 * each mistake at its own line and column (which a general-purpose mapper cannot: it loses positions per key).
 *
 * <p>Keys are the components' names in snake_case unless {@code @Key} says otherwise; an absent key binds null (the
 * compact constructor fills the default); a {@code @Required} key must be written; a {@code @DataPath} string is
 * resolved and confined to the data roots. The record is constructed only when every value bound, so the compact
 * constructor sees no half-bound record; its {@link ConfigException} is reported at the key it names.
 */
final class ConfigBinder {
    /** Marks a value that failed to bind (null is a legitimate value: an absent key). */
    private static final Object FAILED = new Object();

    private final DataPaths dataPaths;
    private final Problems problems;

    /** A bound config record and the data files it names. */
    record Binding(Record config, List<Path> dataFiles) {
    }

    ConfigBinder(DataPaths dataPaths, Problems problems) {
        this.dataPaths = dataPaths;
        this.problems = problems;
    }

    /**
     * @param withNode     the {@code with:} value, or null when the stage has none
     * @param withPosition where errors about the block as a whole go: its {@code with:} key, or the stage when absent
     */
    Optional<Binding> bind(Class<? extends Record> type, Node withNode, Position withPosition, String stageId,
                           String stageType) {
        String where = "stage '" + stageId + "' (" + stageType + ")";
        if (withNode != null && !(withNode instanceof MappingNode)) {
            problems.add(withNode, where + ": 'with' must be a map of settings, found " + Nodes.describe(withNode),
                    "write the settings as 'key: value' lines under 'with:', or leave 'with:' out");
            return Optional.empty();
        }
        List<Path> dataFiles = new ArrayList<>();
        Object bound = bindRecord(type, (MappingNode) withNode, withPosition, "", where, dataFiles);
        return bound == FAILED ? Optional.empty() : Optional.of(new Binding((Record) bound, dataFiles));
    }

    /** @param position the key naming this block (errors about a key it lacks go there) */
    private Object bindRecord(Class<?> type, MappingNode node, Position position, String prefix, String where,
                              List<Path> dataFiles) {
        RecordComponent[] components = type.getRecordComponents();
        List<String> keys = Arrays.stream(components).map(Names::yamlKey).toList();
        Map<String, NodeTuple> entries = node == null ? Map.of()
                : Nodes.knownEntries(node, keys, (prefix.isEmpty() ? "'with'" : "'" + prefix + "'") + " of " + where, problems);
        boolean ok = node == null || entries.size() == Nodes.entries(node).size();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String key = keys.get(i);
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            ValueType valueType = ValueType.of(component.getGenericType(),
                    type.getName() + "." + component.getName());
            Optional<Node> value = Nodes.value(entries, key);
            if (value.isEmpty()) {
                if (component.isAnnotationPresent(Required.class) && problems.wasMisspelled(node, key)) {
                    ok = false;
                } else if (component.isAnnotationPresent(Required.class)) {
                    Doc doc = component.getAnnotation(Doc.class);
                    problems.add(position, where + " is missing the required key '" + path + "'",
                            "add '" + key + ": ...' under '" + (prefix.isEmpty() ? "with" : prefix) + ":'"
                                    + (doc == null ? "" : " (" + doc.value() + ")"));
                    ok = false;
                }
                args[i] = valueType.absentValue();
                continue;
            }
            Object bound = bindValue(valueType, value.get(), Nodes.position(entries.get(key).getKeyNode()), path, where,
                    dataFiles, component.isAnnotationPresent(DataPath.class));
            ok &= bound != FAILED;
            args[i] = bound;
        }
        if (!ok) {
            return FAILED;
        }
        return construct(type, components, args, entries, position, prefix, where);
    }

    private Object construct(Class<?> type, RecordComponent[] components, Object[] args,
                             Map<String, NodeTuple> entries, Position position, String prefix, String where) {
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.trySetAccessible();
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                String key = yamlKeyOf(ce.key(), components);
                NodeTuple tuple = entries.get(key);
                String path = prefix.isEmpty() ? key : prefix + "." + key;
                problems.add(tuple == null ? position : Nodes.position(tuple.getKeyNode()),
                        where + ", key '" + path + "': " + ce.getMessage(),
                        tuple == null ? "write '" + key + ":' with a value that fits" : "change the value of '" + path + "'");
                return FAILED;
            }
            if (cause instanceof IllegalArgumentException iae) {
                problems.add(position, where + (prefix.isEmpty() ? "" : ", in '" + prefix + "'") + ": "
                        + iae.getMessage(), "change the settings under '" + (prefix.isEmpty() ? "with" : prefix) + ":'");
                return FAILED;
            }
            throw new IllegalStateException("the config record " + type.getName() + " failed to construct", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct the config record " + type.getName(), e);
        }
    }

    /** The YAML key a {@link ConfigException} names: it may give the YAML key or the component name. */
    private static String yamlKeyOf(String named, RecordComponent[] components) {
        for (RecordComponent component : components) {
            if (Names.yamlKey(component).equals(named)) {
                return named;
            }
        }
        for (RecordComponent component : components) {
            if (component.getName().equals(named)) {
                return Names.yamlKey(component);
            }
        }
        return named;
    }

    /** @param keyPosition the key naming the value, or the value itself for list items and map entries */
    private Object bindValue(ValueType type, Node node, Position keyPosition, String path, String where,
                             List<Path> dataFiles, boolean dataPath) {
        switch (type.kind()) {
            case STRING -> {
                if (!Nodes.isString(node)) {
                    return wrongType(node, path, where, "a string", node instanceof ScalarNode s
                            ? "put it in quotes: '" + s.getValue() + "'" : "write a single value");
                }
                String text = ((ScalarNode) node).getValue();
                if (!dataPath) {
                    return text;
                }
                Optional<Path> file = dataPaths.resolve(text, node, where + ", key '" + path + "'", problems);
                file.ifPresent(dataFiles::add);
                return file.<Object>map(Path::toString).orElse(FAILED);
            }
            case INTEGER, LONG -> {
                Optional<BigInteger> value = scalarOf(node, Tag.INT).flatMap(ScalarValues::integer);
                if (value.isEmpty()) {
                    return wrongType(node, path, where, "a whole number", numberFix(node, "30"));
                }
                boolean isInt = type.kind() == ValueType.Kind.INTEGER;
                BigInteger min = BigInteger.valueOf(isInt ? Integer.MIN_VALUE : Long.MIN_VALUE);
                BigInteger max = BigInteger.valueOf(isInt ? Integer.MAX_VALUE : Long.MAX_VALUE);
                if (value.get().compareTo(min) < 0 || value.get().compareTo(max) > 0) {
                    problems.add(node, where + ": '" + path + "' is " + value.get() + ", out of range",
                            "write a number between " + min + " and " + max);
                    return FAILED;
                }
                return isInt ? (Object) value.get().intValue() : (Object) value.get().longValue();
            }
            case DOUBLE -> {
                Optional<Double> value = scalarOf(node, Tag.FLOAT).or(() -> scalarOf(node, Tag.INT).map(s -> s))
                        .flatMap(ScalarValues::decimal);
                return value.isPresent() ? value.get()
                        : wrongType(node, path, where, "a number", numberFix(node, "0.5"));
            }
            case BOOLEAN -> {
                Optional<Boolean> value = scalarOf(node, Tag.BOOL).flatMap(ScalarValues::bool);
                return value.isPresent() ? value.get()
                        : wrongType(node, path, where, "true or false", "write true or false, without quotes");
            }
            case ENUM -> {
                return bindEnum(type.raw(), node, path, where);
            }
            case RECORD -> {
                if (!(node instanceof MappingNode mapping)) {
                    List<String> keys = Arrays.stream(type.raw().getRecordComponents()).map(Names::yamlKey).toList();
                    return wrongType(node, path, where, "a map", "write a map with keys among: " + String.join(", ", keys));
                }
                return bindRecord(type.raw(), mapping, keyPosition, path, where, dataFiles);
            }
            case LIST -> {
                if (!(node instanceof SequenceNode sequence)) {
                    return wrongType(node, path, where, "a list", node instanceof ScalarNode s
                            ? "write it as a list: [" + s.getValue() + "]" : "write a list such as [a, b]");
                }
                ValueType elementType = ValueType.of(type.element(), where + " '" + path + "' items");
                List<Object> items = new ArrayList<>();
                boolean ok = true;
                for (int i = 0; i < sequence.getValue().size(); i++) {
                    Node item = sequence.getValue().get(i);
                    String itemPath = path + "[" + i + "]";
                    Object bound = Nodes.isNull(item)
                            ? wrongType(item, itemPath, where, "a value", "remove the empty item")
                            : bindValue(elementType, item, Nodes.position(item), itemPath, where, dataFiles, false);
                    ok &= bound != FAILED;
                    items.add(bound);
                }
                return ok ? items : FAILED;
            }
            case MAP -> {
                if (!(node instanceof MappingNode mapping)) {
                    return wrongType(node, path, where, "a map", "write 'name: value' pairs under '" + path + ":'");
                }
                ValueType valueType = ValueType.of(type.element(), where + " '" + path + "' values");
                Map<String, Object> map = new LinkedHashMap<>();
                boolean ok = true;
                for (Map.Entry<String, NodeTuple> entry : Nodes.entries(mapping).entrySet()) {
                    Node value = entry.getValue().getValueNode();
                    String entryPath = path + "." + entry.getKey();
                    Object bound = Nodes.isNull(value)
                            ? wrongType(value, entryPath, where, "a value", "write a value after '" + entry.getKey() + ":'")
                            : bindValue(valueType, value, Nodes.position(entry.getValue().getKeyNode()), entryPath,
                                    where, dataFiles, false);
                    ok &= bound != FAILED;
                    map.put(entry.getKey(), bound);
                }
                return ok ? map : FAILED;
            }
            default -> throw new IllegalStateException("unhandled kind " + type.kind());
        }
    }

    private Object bindEnum(Class<?> enumType, Node node, String path, String where) {
        List<String> values = Names.enumValues(enumType);
        if (!Nodes.isString(node)) {
            return wrongType(node, path, where, "one of " + String.join(", ", values), "write one of: " + String.join(", ", values));
        }
        String written = ((ScalarNode) node).getValue();
        int index = values.indexOf(written);
        if (index < 0) {
            problems.add(node, where + ": '" + path + "' is '" + written + "', which is not a valid choice",
                    Suggestions.suggestValue(written, values));
            return FAILED;
        }
        return enumType.getEnumConstants()[index];
    }

    private Object wrongType(Node node, String path, String where, String expected, String fix) {
        problems.add(node, where + ": '" + path + "' must be " + expected + ", found " + Nodes.describe(node), fix);
        return FAILED;
    }

    private static Optional<String> scalarOf(Node node, Tag tag) {
        return node instanceof ScalarNode s && tag.equals(s.getTag()) ? Optional.of(s.getValue()) : Optional.empty();
    }

    private static String numberFix(Node node, String example) {
        if (Nodes.isString(node) && ScalarValues.decimal(((ScalarNode) node).getValue()).isPresent()) {
            return "remove the quotes";
        }
        return "write a number, such as " + example;
    }
}

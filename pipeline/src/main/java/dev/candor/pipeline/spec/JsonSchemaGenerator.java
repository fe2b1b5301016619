package dev.candor.pipeline.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.stages.spi.DataPath;
import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.Required;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageCatalog;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The JSON Schema (draft 2020-12) of pipeline format {@code candor/v1}, generated from the stage config records so
 * it can never drift from what the loader accepts: keys in their YAML spelling, enum values in their YAML form,
 * {@code @Doc} as descriptions, {@code @Required} as required, nested records, lists and maps, and no key the loader
 * would refuse ({@code additionalProperties: false} everywhere). Each stage's {@code with:} is tied to its
 * {@code type} by an {@code if}/{@code then} per stage type, which editors understand.
 *
 * <p>The schema is checked by editors before a run; the loader stays the authority and also checks what a schema
 * cannot (data files, cycles, input kinds, cross-key rules in the config records).
 */
public final class JsonSchemaGenerator {
    public static final String SCHEMA_ID = "https://candor.dev/schemas/pipeline-v1.json";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final StageCatalog catalog;

    public JsonSchemaGenerator(StageCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** The schema as indented JSON, for {@code candor schema}. */
    public String generateJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(generate()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** The schema as a JSON tree. */
    public ObjectNode generate() {
        ObjectNode root = JSON.objectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", SCHEMA_ID);
        root.put("title", "Candor pipeline (" + SpecReader.API_VERSION + ")");
        root.put("description", "A Candor pipeline: metadata, a seed, and stages whose 'with' blocks are typed by"
                + " their stage type");
        root.put("type", "object");
        required(root, "apiVersion", "kind", "metadata", "spec");
        root.put("additionalProperties", false);
        ObjectNode properties = root.putObject("properties");
        properties.putObject("apiVersion").put("const", SpecReader.API_VERSION)
                .put("description", "The format version");
        properties.putObject("kind").put("const", SpecReader.KIND);
        properties.set("metadata", metadata());
        properties.set("spec", spec());
        ObjectNode defs = root.putObject("$defs");
        defs.set("stage", stage());
        for (Stage<?> stage : catalog.all()) {
            ObjectNode config = recordSchema(stage.configType(), new ArrayDeque<>());
            config.put("description", stage.description()
                    + (config.has("description") ? ". " + config.get("description").asText() : ""));
            defs.set(stage.type(), config);
        }
        return root;
    }

    private static ObjectNode metadata() {
        ObjectNode metadata = object("Who the pipeline is for; shown in the registry, the dashboard and the report");
        required(metadata, "name");
        ObjectNode properties = metadata.putObject("properties");
        properties.set("name", string("The pipeline's name; its runs are grouped under it").put("minLength", 1));
        properties.set("domain", string("The field it serves, such as healthcare or finance"));
        properties.set("owner", string("The person or team answerable for it"));
        properties.set("description", string("What it is for"));
        return metadata;
    }

    private static ObjectNode spec() {
        ObjectNode spec = object("The stages, how to run them, and the gates a model must pass");
        required(spec, "stages");
        ObjectNode properties = spec.putObject("properties");
        properties.putObject("seed").put("type", "integer")
                .put("description", "Every random choice derives from it (default 0)");
        ObjectNode runner = properties.putObject("runner").put("type", "string")
                .put("description", "The Beam runner (default direct)");
        enumValues(runner, SpecReader.RUNNERS);
        properties.putObject("device").put("type", "string").put("pattern", "^(" + SpecReader.DEVICE.pattern() + ")$")
                .put("description", "The ONNX Runtime device: auto (default), cpu, cuda or cuda:N");
        ObjectNode stages = properties.putObject("stages").put("type", "array").put("minItems", 1)
                .put("description", "The stages; each names its inputs by id");
        stages.putObject("items").put("$ref", "#/$defs/stage");
        ObjectNode gates = properties.putObject("gates").put("type", "array")
                .put("description", "Conditions a run must meet, such as \"eval.roc_auc >= 0.9\": <stage id>.<result>"
                        + " compared (>=, >, <=, <, ==, !=) with a number or another result, combined with and, or, not"
                        + " and parentheses; a run whose gates fail ends FAILED_GATES");
        gates.putObject("items").put("type", "string").put("minLength", 1);
        return spec;
    }

    private ObjectNode stage() {
        ObjectNode stage = object("One stage: its id, its type, the stages it reads, and its settings");
        required(stage, "id", "type");
        ObjectNode properties = stage.putObject("properties");
        String idPattern = "^" + SpecReader.STAGE_ID.pattern() + "$";
        properties.set("id", string("Unique in the pipeline: lower-case letters, digits, '-' and '_'")
                .put("pattern", idPattern));
        ObjectNode type = string("The stage type");
        enumValues(type, List.copyOf(catalog.types()));
        properties.set("type", type);
        ObjectNode inputs = properties.putObject("inputs").put("type", "array").put("uniqueItems", true)
                .put("description", "Ids of the stages whose outputs this stage reads");
        inputs.putObject("items").put("type", "string").put("pattern", idPattern);
        // Only "an object" here: the keys come from the rule for the stage's type below (an additionalProperties
        // here would apply alongside that rule and refuse every key).
        properties.putObject("with").put("type", "object")
                .put("description", "The stage's settings; their keys depend on the stage type");
        ArrayNode byType = stage.putArray("allOf");
        for (Stage<?> each : catalog.all()) {
            ObjectNode rule = byType.addObject();
            ObjectNode condition = rule.putObject("if");
            condition.putObject("properties").putObject("type").put("const", each.type());
            required(condition, "type");
            ObjectNode then = rule.putObject("then");
            then.putObject("properties").putObject("with").put("$ref", "#/$defs/" + each.type());
            boolean anyRequired = java.util.Arrays.stream(each.configType().getRecordComponents())
                    .anyMatch(c -> c.isAnnotationPresent(Required.class));
            if (anyRequired) {
                required(then, "with");
            }
        }
        return stage;
    }

    private static ObjectNode recordSchema(Class<?> type, Deque<Class<?>> path) {
        if (path.contains(type)) {
            throw new IllegalStateException("config record " + type.getName() + " contains itself: " + path
                    + "; pipeline YAML cannot express a recursive config");
        }
        path.push(type);
        Doc doc = type.getAnnotation(Doc.class);
        ObjectNode schema = object(doc == null ? null : doc.value());
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.arrayNode();
        for (RecordComponent component : type.getRecordComponents()) {
            String key = Names.yamlKey(component);
            ObjectNode property = valueSchema(ValueType.of(component.getGenericType(),
                    type.getName() + "." + component.getName()), path);
            Doc componentDoc = component.getAnnotation(Doc.class);
            if (componentDoc != null) {
                property.put("description", componentDoc.value());
            }
            if (component.isAnnotationPresent(DataPath.class)) {
                property.put("description", property.path("description").asText("A data file")
                        + " (a path relative to the pipeline file, inside the data roots)");
            }
            if (component.isAnnotationPresent(Required.class)) {
                required.add(key);
            }
            properties.set(key, property);
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        path.pop();
        return schema;
    }

    private static ObjectNode valueSchema(ValueType type, Deque<Class<?>> path) {
        return switch (type.kind()) {
            case STRING -> JSON.objectNode().put("type", "string");
            case INTEGER, LONG -> JSON.objectNode().put("type", "integer");
            case DOUBLE -> JSON.objectNode().put("type", "number");
            case BOOLEAN -> JSON.objectNode().put("type", "boolean");
            case ENUM -> {
                ObjectNode schema = JSON.objectNode().put("type", "string");
                enumValues(schema, Names.enumValues(type.raw()));
                yield schema;
            }
            case RECORD -> recordSchema(type.raw(), path);
            case LIST -> {
                ObjectNode schema = JSON.objectNode().put("type", "array");
                schema.set("items", valueSchema(ValueType.of(type.element(), "list items"), path));
                yield schema;
            }
            case MAP -> {
                ObjectNode schema = JSON.objectNode().put("type", "object");
                schema.set("additionalProperties", valueSchema(ValueType.of(type.element(), "map values"), path));
                yield schema;
            }
        };
    }

    private static ObjectNode object(String description) {
        ObjectNode schema = JSON.objectNode();
        if (description != null) {
            schema.put("description", description);
        }
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        return schema;
    }

    private static ObjectNode string(String description) {
        return JSON.objectNode().put("description", description).put("type", "string");
    }

    private static void required(ObjectNode schema, String... keys) {
        ArrayNode required = schema.putArray("required");
        for (String key : keys) {
            required.add(key);
        }
    }

    private static void enumValues(ObjectNode schema, List<String> values) {
        ArrayNode array = schema.putArray("enum");
        values.forEach(array::add);
    }
}

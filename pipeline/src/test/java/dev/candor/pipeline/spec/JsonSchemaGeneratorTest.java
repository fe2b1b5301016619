package dev.candor.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.stages.spi.StageCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated JSON Schema: its structure, and that it accepts the valid pipelines and refuses broken ones. */
class JsonSchemaGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode schema = parse(new JsonSchemaGenerator(TestStages.catalog()).generateJson());

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("the schema is not JSON", e);
        }
    }

    /** A pipeline file as the JSON tree an editor would validate (same parser and scalar types as the loader). */
    private static JsonNode yamlAsJson(Path file) throws IOException {
        Problems problems = new Problems(file);
        var root = YamlParser.parse(Files.readString(file), file.toString(), problems);
        assertThat(problems.errors()).as("%s parses", file).isEmpty();
        return parse(CanonicalJson.of(root.orElseThrow()));
    }

    private List<String> validate(String resource) throws IOException {
        return new MiniSchemaValidator(schema).validate(yamlAsJson(TestStages.resource(resource)));
    }

    @Test
    void describesTheTopLevelOfTheFormat() {
        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.at("/properties/apiVersion/const").asText()).isEqualTo("candor/v1");
        assertThat(schema.at("/properties/kind/const").asText()).isEqualTo("Pipeline");
        assertThat(texts(schema.get("required"))).containsExactly("apiVersion", "kind", "metadata", "spec");
        assertThat(fieldNames(schema.at("/properties/spec/properties")))
                .containsExactly("seed", "runner", "device", "stages", "gates");
        assertThat(texts(schema.at("/properties/spec/properties/runner/enum"))).containsExactly("direct", "flink", "spark");
        assertThat(schema.at("/properties/spec/properties/stages/items/$ref").asText()).isEqualTo("#/$defs/stage");
    }

    @Test
    void typesEachStagesWithBlockByItsType() {
        JsonNode stage = schema.at("/$defs/stage");
        assertThat(texts(stage.at("/properties/type/enum"))).containsExactly("evaluate", "ingest.csv", "train.onnx", "train.tribuo");
        assertThat(stage.get("allOf")).hasSize(4);
        for (JsonNode rule : stage.get("allOf")) {
            String type = rule.at("/if/properties/type/const").asText();
            assertThat(rule.at("/then/properties/with/$ref").asText()).isEqualTo("#/$defs/" + type);
            assertThat(schema.at("/$defs/" + type).isObject()).as(type).isTrue();
        }
        JsonNode ingest = schema.at("/$defs/ingest.csv");
        assertThat(fieldNames(ingest.get("properties"))).containsExactly("path", "label", "columns", "id", "protected",
                "ignore", "protected_as_features", "missing", "split", "delimiter", "quasi_identifiers", "min_k", "encoding");
        assertThat(texts(ingest.get("required"))).containsExactly("path", "label");
        assertThat(texts(ingest.at("/properties/missing/enum"))).containsExactly("error", "drop", "impute-mean", "impute-mode");
        assertThat(texts(ingest.at("/properties/encoding/enum"))).containsExactly("utf-8", "iso-8859-1", "windows-1252");
        assertThat(texts(ingest.at("/properties/columns/additionalProperties/enum"))).containsExactly("numeric", "categorical");
        assertThat(ingest.at("/properties/protected/items/type").asText()).isEqualTo("string");
        assertThat(fieldNames(ingest.at("/properties/split/properties"))).containsExactly("train", "validation", "test");
        assertThat(ingest.at("/properties/split/properties/train/type").asText()).isEqualTo("number");
        assertThat(ingest.at("/properties/label/description").asText()).isEqualTo("The label column");
        assertThat(ingest.at("/properties/path/description").asText()).contains("inside the data roots");
        JsonNode train = schema.at("/$defs/train.tribuo");
        assertThat(train.at("/properties/epochs/type").asText()).isEqualTo("integer");
        assertThat(texts(train.at("/properties/algorithm/enum")))
                .containsExactly("logistic-regression", "cart", "random-forest", "xgboost");
        assertThat(fieldNames(train.get("properties"))).contains("learning_rate", "max_depth", "min_child_weight");
        assertThat(texts(schema.at("/$defs/evaluate/properties/split/enum"))).containsExactly("train", "validation", "test");
    }

    @Test
    void refusesUnknownKeysInEveryObjectWithProperties() {
        List<String> open = new ArrayList<>();
        walk(schema, "#", open);
        assertThat(open).isEmpty();
    }

    @Test
    void coversEveryKindOfValue() {
        JsonNode kitchen = new JsonSchemaGenerator(StageCatalog.of(new KitchenStage())).generate()
                .at("/$defs/test.kitchen");
        assertThat(kitchen.at("/properties/count/type").asText()).isEqualTo("integer");
        assertThat(kitchen.at("/properties/big/type").asText()).isEqualTo("integer");
        assertThat(kitchen.at("/properties/flag/type").asText()).isEqualTo("boolean");
        assertThat(kitchen.at("/properties/layers/items/additionalProperties/type").asText()).isEqualTo("integer");
        assertThat(kitchen.at("/properties/groups/additionalProperties/items/type").asText()).isEqualTo("string");
        assertThat(texts(kitchen.at("/properties/mode/enum"))).containsExactly("fast-and-loose", "careful");
        assertThat(texts(kitchen.at("/properties/parts/items/required"))).containsExactly("name");
        assertThat(kitchen.at("/properties/class/type").asText()).isEqualTo("string");
        assertThat(kitchen.at("/properties/count/description").asText()).isEqualTo("How many");
    }

    @ParameterizedTest
    @ValueSource(strings = {"valid/breast-cancer.yaml", "valid/breast-cancer-reformatted.yaml", "valid/minimal.yaml",
            "valid/external-validation.yaml"})
    void acceptsTheValidPipelines(String resource) throws IOException {
        assertThat(validate(resource)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-key-in-with", "enum-with-underscore", "integer-as-word", "quoted-number",
            "wrong-api-version", "wrong-kind", "unknown-stage-type", "missing-required-key", "empty-stages",
            "camel-case-key", "nested-unknown-key", "bad-device", "gate-written-as-map", "seed-with-decimals",
            "unknown-runner", "invalid-stage-id", "missing-spec", "scalar-where-list-expected", "input-listed-twice",
            "with-not-a-map", "boolean-in-quotes", "unknown-column-type", "metadata-without-name"})
    void refusesWhatAStructuralCheckCanSee(String name) throws IOException {
        assertThat(validate("broken/" + name + ".yaml")).isNotEmpty();
    }

    /** Collects object schemas with properties that would let an unknown key through (if/then only select). */
    private static void walk(JsonNode node, String path, List<String> open) {
        if (node.isObject()) {
            JsonNode additional = node.path("additionalProperties");
            if (node.has("properties") && !(additional.isBoolean() && !additional.asBoolean())) {
                open.add(path);
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!field.equals("if") && !field.equals("then")) {
                    walk(node.get(field), path + "/" + field, open);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, open);
            }
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}

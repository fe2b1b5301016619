package dev.candor.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A JSON Schema validator for exactly the keywords our generator emits (type, properties, required,
 * additionalProperties, enum, const, pattern, minLength, items, minItems, uniqueItems, allOf, if/then, $ref to
 * $defs), so the tests can check that the schema accepts valid pipelines and refuses broken ones. Any other keyword
 * fails the test: the generator must not grow keywords this validator silently ignores.
 */
final class MiniSchemaValidator {
    private static final List<String> KNOWN = List.of("$schema", "$id", "title", "description", "type", "properties",
            "required", "additionalProperties", "enum", "const", "pattern", "minLength", "items", "minItems",
            "uniqueItems", "allOf", "if", "then", "$ref", "$defs");

    private final JsonNode root;

    MiniSchemaValidator(JsonNode root) {
        this.root = root;
    }

    /** The violations, each as "path: what"; empty when the document is valid. */
    List<String> validate(JsonNode document) {
        List<String> errors = new ArrayList<>();
        check(root, document, "$", errors);
        return errors;
    }

    private void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!KNOWN.contains(keyword)) {
                throw new IllegalStateException("the generator emitted an unchecked keyword '" + keyword + "' at " + path);
            }
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            check(root.at(ref.substring(1)), value, path, errors);
        }
        if (schema.has("type") && !hasType(value, schema.get("type").asText())) {
            errors.add(path + ": expected " + schema.get("type").asText() + ", found " + value.getNodeType());
            return;
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            errors.add(path + ": expected " + schema.get("const"));
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enum")) {
                found |= option.equals(value);
            }
            if (!found) {
                errors.add(path + ": " + value + " is not in " + schema.get("enum"));
            }
        }
        if (value.isTextual()) {
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
                errors.add(path + ": " + value + " does not match " + schema.get("pattern").asText());
            }
            if (schema.has("minLength") && value.asText().length() < schema.get("minLength").asInt()) {
                errors.add(path + ": too short");
            }
        }
        if (value.isObject()) {
            checkObject(schema, value, path, errors);
        }
        if (value.isArray()) {
            if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                errors.add(path + ": fewer than " + schema.get("minItems") + " items");
            }
            if (schema.has("uniqueItems") && schema.get("uniqueItems").asBoolean()) {
                java.util.Set<JsonNode> seen = new java.util.HashSet<>();
                value.forEach(item -> {
                    if (!seen.add(item)) {
                        errors.add(path + ": duplicate item " + item);
                    }
                });
            }
            if (schema.has("items")) {
                for (int i = 0; i < value.size(); i++) {
                    check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
                }
            }
        }
        if (schema.has("allOf")) {
            for (JsonNode sub : schema.get("allOf")) {
                check(sub, value, path, errors);
            }
        }
        if (schema.has("if") && validate(schema.get("if"), value) && schema.has("then")) {
            check(schema.get("then"), value, path, errors);
        }
    }

    private void checkObject(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (schema.has("required")) {
            for (JsonNode key : schema.get("required")) {
                if (!value.has(key.asText())) {
                    errors.add(path + ": missing " + key.asText());
                }
            }
        }
        JsonNode properties = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), fieldPath, errors);
            } else if (schema.has("additionalProperties")) {
                JsonNode additional = schema.get("additionalProperties");
                if (additional.isBoolean() && !additional.asBoolean()) {
                    errors.add(fieldPath + ": not allowed");
                } else if (additional.isObject()) {
                    check(additional, field.getValue(), fieldPath, errors);
                }
            }
        }
    }

    private boolean validate(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "", errors);
        return errors.isEmpty();
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }
}

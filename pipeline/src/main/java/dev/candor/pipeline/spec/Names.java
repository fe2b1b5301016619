package dev.candor.pipeline.spec;

import dev.candor.stages.spi.Key;
import dev.candor.stages.spi.Suggestions;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;

/** How names are written in the YAML, and the fix for an unknown key ({@link Suggestions} holds the "did you mean"). */
final class Names {
    private Names() {
    }

    /** The YAML key of a config record component: {@link Key} if present, else the name in snake_case. */
    static String yamlKey(RecordComponent component) {
        Key key = component.getAnnotation(Key.class);
        return key != null ? key.value() : Suggestions.snakeCase(component.getName());
    }

    /** The YAML form of an enum constant: {@code IMPUTE_MEAN} → {@code impute-mean}. */
    static String enumValue(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static List<String> enumValues(Class<?> enumType) {
        return java.util.Arrays.stream(enumType.getEnumConstants()).map(c -> enumValue((Enum<?>) c)).toList();
    }

    /**
     * The fix for an unknown key: the closest valid key when one is close enough to be the intended one, else the
     * list of valid keys.
     */
    static String suggestKey(String written, List<String> validKeys) {
        return Suggestions.closest(written, validKeys)
                .map(key -> "did you mean '" + key + "'?")
                .orElseGet(() -> validKeys.isEmpty()
                        ? "remove it: no keys are allowed here"
                        : "remove it, or use one of: " + String.join(", ", validKeys));
    }
}

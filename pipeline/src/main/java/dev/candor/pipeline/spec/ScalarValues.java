package dev.candor.pipeline.spec;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The values of YAML 1.2 core-schema scalars ({@code 0x1F}, {@code 0o17}, {@code +5}, {@code .inf}, {@code True}).
 * SnakeYAML Engine's compose API resolves tags but leaves the text; these turn the text into numbers. Empty when an
 * explicitly tagged scalar does not parse ({@code !!int abc}).
 */
final class ScalarValues {
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private ScalarValues() {
    }

    static Optional<BigInteger> integer(String text) {
        String t = text.trim();
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        try {
            BigInteger value;
            if (t.startsWith("0x")) {
                value = new BigInteger(t.substring(2), 16);
            } else if (t.startsWith("0o")) {
                value = new BigInteger(t.substring(2), 8);
            } else {
                value = new BigInteger(t);
            }
            return Optional.of(negative ? value.negate() : value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<Double> decimal(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case ".inf", "+.inf" -> {
                return Optional.of(Double.POSITIVE_INFINITY);
            }
            case "-.inf" -> {
                return Optional.of(Double.NEGATIVE_INFINITY);
            }
            case ".nan" -> {
                return Optional.of(Double.NaN);
            }
            default -> {
                Optional<BigInteger> asInteger = integer(t);
                if (asInteger.isPresent()) {
                    return Optional.of(asInteger.get().doubleValue());
                }
                // Double.parseDouble alone would also take "NaN", "1d" and hex floats, which YAML does not.
                return FLOAT.matcher(t).matches() ? Optional.of(Double.parseDouble(t)) : Optional.empty();
            }
        }
    }

    static Optional<Boolean> bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> Optional.empty();
        };
    }
}

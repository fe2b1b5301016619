package dev.candor.stages.spi;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * The "did you mean" that turns a typo into a one-glance fix, shared by the spec loader (unknown keys, stage types,
 * stage ids) and by stages checking names against their inputs (a class of the model, a column of the data).
 */
public final class Suggestions {
    private Suggestions() {
    }

    /** The fix for a value that must be one of several: {@code did you mean 'bad'? (one of: bad, good)}, or all of them. */
    public static String suggestValue(String written, Collection<String> valid) {
        String all = String.join(", ", valid);
        return closest(written, valid)
                .map(v -> "did you mean '" + v + "'? (one of: " + all + ")")
                .orElseGet(() -> "write one of: " + all);
    }

    /**
     * The candidate nearest to {@code written} when it is close enough to be a typo of it: case, '-' versus '_' and
     * camelCase versus snake_case count as one slip; otherwise at most a third of the length in edits (at least 2).
     */
    public static Optional<String> closest(String written, Collection<String> candidates) {
        String folded = fold(written);
        for (String candidate : candidates) {
            if (fold(candidate).equals(folded)) {
                return Optional.of(candidate);
            }
        }
        int limit = Math.max(2, written.length() / 3);
        return candidates.stream()
                .filter(c -> levenshtein(written, c) <= limit)
                .min(Comparator.comparingInt((String c) -> levenshtein(written, c)).thenComparing(c -> c));
    }

    /** {@code learningRate} → {@code learning_rate}; {@code maxDepth2} → {@code max_depth2}. */
    public static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The edit distance: insertions, deletions and substitutions, each costing one. */
    public static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String fold(String name) {
        boolean mixedCase = !name.equals(name.toLowerCase(Locale.ROOT)) && !name.equals(name.toUpperCase(Locale.ROOT));
        String snake = mixedCase ? snakeCase(name) : name;
        return snake.toLowerCase(Locale.ROOT).replace('-', '_');
    }
}

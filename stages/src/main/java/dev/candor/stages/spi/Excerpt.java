package dev.candor.stages.spi;

import java.util.Collection;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way a value from the data (a cell, a header name, a class name, a line) is shown in a message: cut to a
 * bounded length with a note of what was left out, and with control characters written visibly, so that a 10 MB
 * cell or a NUL byte in a CSV can neither blow up an error message (and the registry column it is stored in) nor
 * garble a terminal or a log line.
 */
public final class Excerpt {
    /** The most characters of one value a message shows. */
    public static final int MAX_CHARS = 100;
    /** The most items of a list (columns, classes) a message shows. */
    public static final int MAX_ITEMS = 20;

    private static final Pattern CUT = Pattern.compile("(?s)(.*)…\\(\\d+ more characters?\\)");
    /** The longest escape of one character ({@code \\u0000}). */
    private static final int ESCAPE_LENGTH = 6;
    /** The longest note of what was left out. */
    private static final int NOTE_LENGTH = "…( more characters)".length() + 19;

    private Excerpt() {
    }

    /** {@code text} cut to {@value #MAX_CHARS} characters, control characters escaped; null stays null. */
    public static String of(String text) {
        return of(text, MAX_CHARS);
    }

    /**
     * {@code text} cut to about {@code max} shown characters, as {@code "abc…(N more characters)"}, with control
     * characters (line breaks, tabs, NUL, ...) escaped as {@code \n}, {@code \t}, {@code \u0000}; null stays null.
     */
    public static String of(String text, int max) {
        if (text == null || isExcerpt(text, max)) return text;
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 32);
        int i = 0;
        while (i < text.length() && out.length() < max) {
            int cp = text.codePointAt(i);
            appendVisible(out, cp);
            i += Character.charCount(cp);
        }
        if (i < text.length()) {
            int left = text.codePointCount(i, text.length());
            out.append("…(").append(left).append(" more character").append(left == 1 ? "" : "s").append(')');
        }
        return out.toString();
    }

    /**
     * Whether {@code text} is already an excerpt of at most {@code max} shown characters: cutting is idempotent, so
     * a value cut where it was found (to travel light) is not cut again, and its note of what was left out stands.
     */
    private static boolean isExcerpt(String text, int max) {
        // The shown part may run a few characters over max: the last character shown may have been escaped.
        if (text.length() > max + ESCAPE_LENGTH + NOTE_LENGTH) return false;
        Matcher m = CUT.matcher(text);
        return m.matches() && m.group(1).length() < max + ESCAPE_LENGTH;
    }

    /** The items, each through {@link #of(String)}, comma-separated; past {@value #MAX_ITEMS}, "… (N more)". */
    public static String list(Collection<?> items) {
        StringBuilder out = new StringBuilder();
        Iterator<?> it = items.iterator();
        int shown = 0;
        while (it.hasNext() && shown < MAX_ITEMS) {
            if (shown > 0) out.append(", ");
            out.append(of(String.valueOf(it.next())));
            shown++;
        }
        if (items.size() > shown) out.append(", … (").append(items.size() - shown).append(" more)");
        return out.toString();
    }

    private static void appendVisible(StringBuilder out, int cp) {
        switch (cp) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                // C0 and C1 controls, DEL, and the Unicode line and paragraph separators, which break lines too.
                if (Character.isISOControl(cp) || cp == '\u2028' || cp == '\u2029') {
                    out.append(String.format(java.util.Locale.ROOT, "\\u%04x", cp));
                } else {
                    out.appendCodePoint(cp);
                }
            }
        }
    }
}

package dev.candor.registry;

/**
 * The check every value people type into the registry (through the dashboard's forms or the CLI) goes through before
 * it reaches the database. Column sizes are {@link RegistryLimits}' (those of the Flyway scripts); this class adds
 * the policy bound on a rejection's reason.
 *
 * <p>A name or a reason is one line of printable text: a control character (a newline, a carriage return, an escape
 * sequence) or a Unicode line or paragraph separator is refused, never stored. Such a character in an approver's name
 * forged a line in the dashboard's log, and it would forge lines in any text rendering of the audit log too.
 */
public final class InputLimits {
    /**
     * A reviewer's reason for a rejection. It is stored inside {@code audit_event.details} ({@code VARCHAR(1000000)})
     * after a short prefix naming the model; 4,000 characters is a policy bound (a reason is a few sentences) that
     * keeps it far inside the column.
     */
    public static final int REASON = 4_000;

    private InputLimits() {
    }

    /**
     * {@code value} stripped of surrounding white space, when it is non-blank, at most {@code max} characters long and
     * holds no control character.
     *
     * @param field what the value is, as the person who typed it knows it ("approver name", "reason")
     * @throws IllegalArgumentException naming the field, what was wrong and the limit
     */
    public static String oneLine(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is " + (value == null ? "missing" : "blank") + "; expected some text");
        }
        String stripped = value.strip();
        if (stripped.length() > max) {
            throw new IllegalArgumentException(field + " is " + stripped.length() + " characters long; at most " + max
                    + " are allowed: shorten it");
        }
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (isLineBreaking(c)) {
                throw new IllegalArgumentException(field + " contains the control character U+" + String.format("%04X", (int) c)
                        + " at position " + (i + 1) + "; it must be one line of printable text (no line breaks, tabs"
                        + " or escape sequences)");
            }
        }
        return stripped;
    }

    /** A character that would break a line, or drive a terminal, when the text is written to a log or a page. */
    static boolean isLineBreaking(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}

package dev.candor.dashboard;

/**
 * What the dashboard writes to its log from a request (a name, a reason, an id, an exception's message) goes through
 * here first: control characters and Unicode line separators are written as escapes ({@code \n}, {@code \u001B}), so
 * a value can never start a new, forged log line or drive a terminal; long values are cut, so a request cannot flood
 * the log. Inputs that reach the registry are refused earlier ({@link dev.candor.registry.InputLimits}); this is the
 * second line, for everything that is logged, accepted or not.
 */
final class LogSafe {
    /** Characters of one value kept in a log line; the rest is counted, not written. */
    static final int MAX_LOGGED = 300;
    private static final int MAX_CAUSES = 20;

    private LogSafe() {
    }

    /** {@code value} as one log-safe line, in quotes; {@code null} for null. */
    static String of(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > MAX_LOGGED ? value.substring(0, MAX_LOGGED) : value;
        StringBuilder out = new StringBuilder(shown.length() + 16).append('"');
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (value.length() > MAX_LOGGED) {
            out.append("… (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }

    /**
     * A copy of {@code e} fit for the log: the same stack traces, each message (and its causes') made log-safe and
     * prefixed with the original class name. An exception's message may hold request data (an id, a name).
     */
    static Throwable throwable(Throwable e) {
        return throwable(e, 0);
    }

    private static Throwable throwable(Throwable e, int depth) {
        if (e == null || depth == MAX_CAUSES) {
            return null;
        }
        Throwable copy = new LoggedException(e.getClass().getName() + ": " + of(e.getMessage()),
                throwable(e.getCause() == e ? null : e.getCause(), depth + 1));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** The log-safe stand-in for an exception; never thrown. */
    private static final class LoggedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoggedException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}

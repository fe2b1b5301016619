package dev.candor.pipeline.cli;

import dev.candor.registry.RegistryLimits;

/** The message a user should see for an exception: the innermost one that says something. */
final class Messages {
    private Messages() {
    }

    /**
     * The most characters of one error the terminal shows: the registry keeps up to a million (see
     * {@code candor show --json}), but a stage that quotes a 10 MB value must not flood the screen.
     */
    static final int TERMINAL_CHARS = 4_000;

    /** An error as the terminal shows it: cut to {@link #TERMINAL_CHARS} with a note of how much was left out. */
    static String shown(String text) {
        return RegistryLimits.fit(text, TERMINAL_CHARS);
    }

    static String of(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t instanceof java.util.concurrent.CompletionException
                || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}

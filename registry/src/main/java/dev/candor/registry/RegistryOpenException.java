package dev.candor.registry;

/**
 * The registry database could not be opened. The message is one line meant for the user:
 * {@code cannot open the registry at <url>: <cause> — <fix>}; print it without the stack trace.
 */
public class RegistryOpenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryOpenException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.candor.pipeline.exec;

/**
 * The registry could not record the end of a run (the database is unreachable, or refused the write): the run is left
 * to its lease, and the message says so in one line. The CLI exits with the environment's code (3).
 */
public final class RegistryUnavailableException extends RuntimeException {
    RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.candor.stages.nn.model;

/**
 * A network, a layer or an example larger than Candor builds: the message names the size, the limit and the fix.
 * Its own type, so that validation can report a size limit before the data is read while leaving the shape mistakes
 * that depend on the data to training.
 */
public final class SizeLimitException extends IllegalArgumentException {
    public SizeLimitException(String message) {
        super(message);
    }

    public SizeLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}

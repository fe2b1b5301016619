package dev.candor.pipeline.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The artifact store cannot be written (read-only, not ours, a file where a directory should be, a full disk): an
 * error of the environment, not of the pipeline or its data. The CLI exits with code 3 and prints this message, one
 * line that names the directory and the fix.
 */
public final class StoreException extends RuntimeException {
    private final Path root;

    /**
     * @param root  the artifact store's directory
     * @param doing what was being done, such as "storing artifact 3fa1…"
     * @param cause the file system's error
     */
    public StoreException(Path root, String doing, IOException cause) {
        super("the artifact store " + root + " cannot be written (" + doing + ": " + reason(cause) + ") — make "
                + root + " a directory this user can write, on a disk with free space, or use another Candor home"
                + " (--home DIR or CANDOR_HOME)", cause);
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * Whether a failure is the store's: a {@code StoreException} anywhere in its causes, or an I/O error on a path
     * inside the store (a stage writing its output into its staging directory), or a full disk or quota wherever
     * it was met. Other failures are the stage's own.
     */
    public static java.util.Optional<StoreException> behind(Path root, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreException store) return java.util.Optional.of(store);
            if (t instanceof FileSystemException f && f.getFile() != null && isUnder(root, f.getFile())) {
                return java.util.Optional.of(new StoreException(root, "writing " + f.getFile(), f));
            }
            if (t instanceof IOException io && io.getMessage() != null && (io.getMessage().contains("No space left on device")
                    || io.getMessage().contains("Disk quota exceeded"))) {
                return java.util.Optional.of(new StoreException(root, "writing a stage's output", io));
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean isUnder(Path root, String file) {
        try {
            return Path.of(file).toAbsolutePath().normalize().startsWith(root);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The file system's reason in words, with the path it concerns: never a bare exception class name. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            String what = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "something else is in the way"
                    : e instanceof NoSuchFileException ? "it does not exist"
                    : e instanceof NotDirectoryException ? "not a directory"
                    : "failed";
            String reason = f.getReason() != null ? f.getReason() : what;
            return f.getFile() == null ? reason : f.getFile() + ": " + reason;
        }
        return e.getMessage() != null ? e.getMessage() : "an I/O error";
    }
}

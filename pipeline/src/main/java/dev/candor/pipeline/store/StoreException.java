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

package dev.candor.pipeline.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Resolves the data files a pipeline names and keeps them inside the data roots, so a pipeline submitted by one
 * person cannot read another's files ({@code ../../etc/shadow}, an absolute path, or a symbolic link that leads out).
 * This is the check at load time, with messages at the YAML's line and column; the run reads each file through
 * {@link DataRoots#open(Path)}, which checks again and cannot be raced.
 */
final class DataPaths {
    private final Path baseDir;
    private final DataRoots roots;

    /**
     * @param roots the data roots; the first is the pipeline file's directory, where relative paths start
     */
    DataPaths(DataRoots roots) {
        this.baseDir = roots.dirs().get(0);
        this.roots = roots;
    }

    /**
     * The absolute, normalized path of an existing regular file inside a data root, or empty after reporting why not.
     *
     * @param where   who names the file, for messages ("stage 'data', key 'path'")
     */
    Optional<Path> resolve(String written, Node node, String where, Problems problems) {
        Path resolved;
        try {
            resolved = baseDir.resolve(written).normalize();
        } catch (InvalidPathException e) {
            problems.add(node, where + ": '" + written + "' is not a valid path (" + e.getReason() + ")",
                    "write a path relative to the pipeline file, such as data/train.csv");
            return Optional.empty();
        }
        if (!roots.containsAsWritten(resolved)) {
            problems.add(node, where + ": '" + written + "' resolves to " + resolved + ", outside the data roots ("
                    + rootList() + ")", outsideFix());
            return Optional.empty();
        }
        if (!Files.exists(resolved)) {
            problems.add(node, where + ": no such file '" + written + "' (looked for " + resolved + ")",
                    "check the name; relative paths start at the pipeline file's directory, " + baseDir);
            return Optional.empty();
        }
        if (!Files.isRegularFile(resolved)) {
            problems.add(node, where + ": '" + written + "' is a directory, not a file",
                    "name the data file inside it");
            return Optional.empty();
        }
        // A symbolic link inside a root may lead outside every root: judge where the bytes actually are.
        try {
            Path real = resolved.toRealPath();
            if (roots.realRootOf(real).isEmpty()) {
                problems.add(node, where + ": '" + written + "' is a link to " + real + ", outside the data roots ("
                        + rootList() + ")", outsideFix());
                return Optional.empty();
            }
        } catch (IOException e) {
            problems.add(node, where + ": cannot read '" + written + "': " + e.getMessage(),
                    "check the file's permissions");
            return Optional.empty();
        }
        return Optional.of(resolved);
    }

    private String rootList() {
        return roots.describe();
    }

    private static String outsideFix() {
        return "move the file under a data root, or allow its directory as a data root"
                + " (CANDOR_DATA_ROOTS or the --data-root option)";
    }
}

package dev.candor.pipeline.exec;

import dev.candor.pipeline.spec.DataRoots;
import dev.candor.pipeline.spec.StageSpec;
import dev.candor.pipeline.store.ArtifactStore;
import dev.candor.pipeline.store.ContentHash;
import dev.candor.registry.home.OwnerOnly;
import dev.candor.pipeline.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A run's private copy of one stage's data files: the only way the engine reads a {@code @DataPath} file.
 *
 * <p>Each file is opened once, through {@link DataRoots#open} (inside a data root, no link swapped in after the check
 * followed), and copied, hashing while copying, into an owner-only directory under the artifact store's staging
 * area; the fingerprint takes that hash and the stage reads that copy ({@link StageSpec#configReading}). What is
 * ingested is therefore exactly what was fingerprinted, whatever happens to the original meanwhile, and the copy sits
 * under the Candor home, which Flink and Spark workers see (unlike the local {@code /tmp}). Copying costs one write
 * of each data file per stage run, cached or not; data files are read once either way.
 *
 * @param dir    the directory holding the copies; the caller deletes it ({@link ArtifactStore#deleteTree})
 * @param copies each data file as the config names it → its copy
 * @param hashes each data file, as the fingerprint names it (relative to the pipeline's directory) → its sha256
 */
record DataSnapshot(Path dir, Map<Path, Path> copies, SortedMap<String, String> hashes) {

    /** A data file that could not be read: the message names the key and the file, never its content. */
    static final class UnreadableException extends RuntimeException {
        UnreadableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Copies the stage's data files.
     *
     * @param base the pipeline's directory: fingerprints name files relative to it
     * @throws UnreadableException a file is missing, unreadable, outside the roots or became a link
     * @throws StoreException      the copy cannot be written
     */
    static DataSnapshot take(StageSpec stage, DataRoots roots, Path base, ArtifactStore store) {
        Map<Path, Path> copies = new LinkedHashMap<>();
        SortedMap<String, String> hashes = new TreeMap<>();
        if (stage.dataFiles().isEmpty()) return new DataSnapshot(null, copies, hashes);
        Map<Path, String> keys = stage.dataFileKeys();
        Path dir = store.newStagingDir(stage.id() + ".data");
        try {
            int i = 0;
            for (Path file : stage.dataFiles()) {
                // One subdirectory per file keeps two files of the same name apart, and each copy keeps its name
                // (datasets record their source's file name).
                Path copy = OwnerOnly.createDirectory(dir.resolve(Integer.toString(i++))).resolve(file.getFileName());
                // The stage's failure names the stage; its message names the key.
                String sha = copy(file, copy, roots, "key '" + keys.getOrDefault(file, "?") + "'");
                copies.put(file, copy);
                String name = file.startsWith(base) ? base.relativize(file).toString().replace('\\', '/') : file.toString();
                hashes.put(name, sha);
            }
            return new DataSnapshot(dir, copies, hashes);
        } catch (IOException e) {
            ArtifactStore.deleteTree(dir);
            throw new StoreException(store.root(), "copying the data of stage '" + stage.id() + "'", e);
        } catch (RuntimeException e) {
            ArtifactStore.deleteTree(dir);
            throw e;
        }
    }

    /** Copies one file from the one channel the confined open gave, and returns the sha256 of what it copied. */
    private static String copy(Path file, Path copy, DataRoots roots, String where) throws IOException {
        MessageDigest sha = ContentHash.sha256();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        try (SeekableByteChannel in = open(file, roots, where);
             SeekableByteChannel out = Files.newByteChannel(copy, Set.of(StandardOpenOption.CREATE_NEW,
                     StandardOpenOption.WRITE), OwnerOnly.fileAttribute(copy.getParent()))) {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw unreadable(where, file, e);
                }
                if (n < 0) break;
                buffer.flip();
                sha.update(buffer.duplicate());
                while (buffer.hasRemaining()) out.write(buffer);
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static SeekableByteChannel open(Path file, DataRoots roots, String where) {
        try {
            return roots.open(file);
        } catch (DataRoots.RefusedException e) {
            throw new UnreadableException(where + ": refused to read " + file + ": " + e.getReason()
                    + " — data files must stay inside the data roots, without links leading out, while a run reads them", e);
        } catch (NoSuchFileException e) {
            throw new UnreadableException(where + ": the data file " + file + " is gone (it was there when the"
                    + " pipeline was validated) — put it back and run again", e);
        } catch (IOException e) {
            throw unreadable(where, file, e);
        }
    }

    private static UnreadableException unreadable(String where, Path file, IOException e) {
        String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage();
        return new UnreadableException(where + ": cannot read the data file " + file + " (" + reason
                + ") — check that it is a regular file this user can read", e);
    }
}

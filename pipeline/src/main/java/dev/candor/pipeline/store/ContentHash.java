package dev.candor.pipeline.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 of strings, files and whole directories (relative paths and contents, in sorted order). */
public final class ContentHash {
    private ContentHash() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    public static String of(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static String ofFile(Path file) {
        MessageDigest md = sha256();
        update(md, file);
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * The hash of a directory tree: each regular file's relative path (with '/' separators) and content, in sorted
     * path order, so the same content gives the same hash wherever it sits.
     */
    public static String ofDirectory(Path dir) {
        MessageDigest md = sha256();
        for (Path file : files(dir)) {
            md.update(dir.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            MessageDigest inner = sha256();
            update(inner, file);
            md.update(inner.digest());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The regular files under a directory, sorted by relative path. */
    public static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .sorted((a, b) -> dir.relativize(a).toString().compareTo(dir.relativize(b).toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void update(MessageDigest md, Path file) {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) md.update(buffer, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

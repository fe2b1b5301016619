package dev.candor.registry.home;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The files of the embedded registry in a Candor home, and how they are written: owner-only ({@link OwnerOnly}),
 * small key=value files replaced atomically so a reader never sees half of one.
 *
 * <p>Plain JDK only: the registry server process ({@link RegistryServer}) runs with nothing but this module and H2
 * on its class path.
 */
public final class HomeFiles {
    private final Path home;

    HomeFiles(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    Path home() {
        return home;
    }

    /** H2's database name: the file is {@code registry.mv.db}. */
    Path database() {
        return home.resolve("registry");
    }

    Path databaseFile() {
        return home.resolve("registry.mv.db");
    }

    /** The registry's logins (owner-only); losing it locks the registry, like losing any database password. */
    Path secret() {
        return home.resolve("registry.secret");
    }

    /** Logins written before the database is changed to use them: see {@link RegistryServer}. */
    Path pendingSecret() {
        return home.resolve("registry.secret.new");
    }

    /** Where the running registry server listens (port, pid); present only while it runs. */
    Path serverFile() {
        return home.resolve("registry.server");
    }

    /** Locked to start or stop the server (exclusive) or to connect to it (shared). */
    Path lockFile() {
        return home.resolve("registry.server.lock");
    }

    /** What the registry server prints: start, stop, errors. */
    Path log() {
        return home.resolve("registry-server.log");
    }

    /**
     * Creates {@code dir} (and missing parents) owner-only, or makes an existing one owner-only: the home holds the
     * registry, its logins and copies of the input data.
     *
     * @throws UncheckedIOException naming the directory when it cannot be created or its permissions cannot be set
     */
    public static void ensurePrivateDirectory(Path dir) {
        try {
            OwnerOnly.tighten(OwnerOnly.createDirectories(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the owner-only directory " + dir + " (" + e + ")", e);
        }
    }

    /** Creates an empty owner-only file if it is absent (one that is present is made owner-only). */
    static void touchPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, OwnerOnly.fileAttribute(file.getParent()));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            OwnerOnly.tighten(file);
        }
    }

    /** Reads a key=value file, or empty if it does not exist. */
    static Optional<Map<String, String>> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return Optional.of(out);
    }

    /** Writes a key=value file owner-only and moves it into place atomically. */
    static void write(Path file, Map<String, String> values) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, OwnerOnly.fileAttribute(file.getParent()));
        Properties p = new Properties();
        p.putAll(values);
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, null);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

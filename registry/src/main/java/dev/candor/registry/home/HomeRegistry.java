package dev.candor.registry.home;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The embedded registry of a Candor home, as its clients see it: connections to the home's {@link RegistryServer},
 * started on first use (a separate process that outlives the one that started it). Every Candor process that uses
 * the home (runs, {@code candor up}, {@code candor runs}) goes through here, so any number of them can share the
 * home, and none takes the registry down when it exits or is paused.
 *
 * <p>Connecting holds the home's lock file shared (the server stops only when it can hold it exclusively, and only
 * with no client connected); starting a server holds it exclusively, so two processes never start two. Before sending
 * the login, the client checks that whatever listens on the port recorded in {@code registry.server} belongs to this
 * user: a port freed by a crashed server and taken by another user's program never sees the password.
 */
public final class HomeRegistry {
    /** Seconds the server waits without clients before it exits (default {@value #DEFAULT_IDLE_SECONDS}). */
    public static final String ENV_IDLE_SECONDS = "CANDOR_REGISTRY_IDLE_SECONDS";
    static final int DEFAULT_IDLE_SECONDS = 60;
    private static final int MAX_IDLE_SECONDS = 86_400;
    private static final long START_TIMEOUT_MS = 60_000;
    private static final long LOCK_TIMEOUT_MS = 60_000;
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(HomeRegistry.class);
    /** One monitor per home in this JVM: file locks are per process, and overlapping ones in one JVM throw. */
    private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final HomeFiles files;
    private final int idleSeconds;
    private final Object monitor;

    private HomeRegistry(HomeFiles files, int idleSeconds) {
        this.files = files;
        this.idleSeconds = idleSeconds;
        this.monitor = MONITORS.computeIfAbsent(files.home(), h -> new Object());
    }

    /**
     * The registry of {@code home} (created owner-only if absent; an existing home is made owner-only). The idle time
     * comes from {@value #ENV_IDLE_SECONDS}.
     *
     * @throws IllegalArgumentException when {@value #ENV_IDLE_SECONDS} is not a number of seconds in range
     */
    public static HomeRegistry of(Path home) {
        return new HomeRegistry(new HomeFiles(home), idleSeconds(System.getenv(ENV_IDLE_SECONDS)));
    }

    /** With an explicit idle time (tests). */
    static HomeRegistry of(Path home, int idleSeconds) {
        return new HomeRegistry(new HomeFiles(home), idleSeconds);
    }

    static int idleSeconds(String value) {
        if (value == null || value.isBlank()) return DEFAULT_IDLE_SECONDS;
        try {
            int s = Integer.parseInt(value.strip());
            if (s >= 1 && s <= MAX_IDLE_SECONDS) return s;
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException(ENV_IDLE_SECONDS + "='" + value + "' is not a whole number of seconds from 1 to "
                + MAX_IDLE_SECONDS + " — unset it for the default, " + DEFAULT_IDLE_SECONDS);
    }

    /** The home directory. */
    public Path home() {
        return files.home();
    }

    /** The database as H2 names it: {@code <home>/registry} (the file is {@code registry.mv.db}). */
    public Path database() {
        return files.database();
    }

    /**
     * A new connection to the home's registry, starting its server when none runs.
     *
     * @throws HomeRegistryException when the server cannot be started or reached, with the reason and the fix
     * @throws SQLException          what the database itself answers
     */
    public Connection connect() throws SQLException {
        synchronized (monitor) {
            try {
                HomeFiles.ensurePrivateDirectory(files.home());
                HomeFiles.touchPrivate(files.lockFile());
            } catch (IOException | UncheckedIOException e) {
                throw new HomeRegistryException("cannot prepare the Candor home " + files.home() + " (" + e.getMessage() + ")",
                        "check that the directory can be created and written by this user", e);
            }
            try (FileChannel ch = FileChannel.open(files.lockFile(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                try (FileLock shared = lock(ch, true)) {
                    Optional<Connection> c = tryRunning();
                    if (c.isPresent()) return c.get();
                }
                try (FileLock exclusive = lock(ch, false)) {
                    Optional<Connection> c = tryRunning();
                    if (c.isPresent()) return c.get();
                    start();
                    return tryRunning().orElseThrow(() -> new HomeRegistryException("the registry server of "
                            + files.home() + " started but cannot be reached", "see " + files.log(), null));
                }
            } catch (IOException e) {
                throw new HomeRegistryException("cannot use the lock file " + files.lockFile() + " (" + e.getMessage() + ")",
                        "check the Candor home's permissions", e);
            }
        }
    }

    /** A data source whose every new connection goes through {@link #connect()} (so a restarted server is found). */
    public DataSource dataSource() {
        return new ServedDataSource(this);
    }

    private FileLock lock(FileChannel ch, boolean shared) throws IOException, HomeRegistryException {
        long deadline = System.currentTimeMillis() + LOCK_TIMEOUT_MS;
        while (true) {
            FileLock lock = ch.tryLock(0, Long.MAX_VALUE, shared);
            if (lock != null) return lock;
            if (System.currentTimeMillis() > deadline) {
                throw new HomeRegistryException("another process has held " + files.lockFile() + " for "
                        + LOCK_TIMEOUT_MS / 1000 + " s (a Candor process or its registry server, stopped or paused?)",
                        "resume or end that process (fuser " + files.lockFile() + " names it)", null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + files.lockFile(), e);
            }
        }
    }

    /** A connection to the running server, or empty when none runs (or what listens there is not ours). */
    private Optional<Connection> tryRunning() throws SQLException, IOException {
        Optional<Map<String, String>> server = HomeFiles.read(files.serverFile());
        if (server.isEmpty()) return Optional.empty();
        int port;
        long pid;
        try {
            port = Integer.parseInt(server.get().getOrDefault("port", ""));
            pid = Long.parseLong(server.get().getOrDefault("pid", ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!Listener.isOurs(port, pid)) {
            LOG.debug("registry server file {} names port {} and pid {}, which are not this user's running server",
                    files.serverFile(), port, pid);
            return Optional.empty();
        }
        Logins logins = Logins.read(files.secret()).orElseThrow(() -> new HomeRegistryException(
                "the registry server of " + files.home() + " runs but " + files.secret() + " is missing",
                "restore the file from a backup of this home", null));
        try {
            return Optional.of(DriverManager.getConnection(url(port), logins.user(), logins.password()));
        } catch (SQLException e) {
            if (refused(e)) return Optional.empty();
            throw e;
        }
    }

    static String url(int port) {
        return "jdbc:h2:tcp://" + RegistryServer.BIND_ADDRESS + ":" + port + "/registry";
    }

    private static boolean refused(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) return true;
        }
        return e.getErrorCode() == 90067; // H2: connection broken
    }

    /** Starts the server and waits until it has written {@code registry.server} (or has failed). */
    private void start() throws IOException, HomeRegistryException {
        Files.deleteIfExists(files.serverFile());
        HomeFiles.touchPrivate(files.log());
        long logStart = Files.size(files.log());
        Process p = new ProcessBuilder(command())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(files.log().toFile()))
                .redirectErrorStream(true)
                .start();
        LOG.debug("started the registry server of {} (pid {})", files.home(), p.pid());
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(files.serverFile())) return;
            if (!p.isAlive() && p.exitValue() != 0) {
                throw new HomeRegistryException(lastError(logStart).orElse("the registry server of " + files.home()
                        + " exited with code " + p.exitValue()), "see " + files.log(), null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the registry server", e);
            }
        }
        p.destroy();
        throw new HomeRegistryException("the registry server of " + files.home() + " did not start within "
                + START_TIMEOUT_MS / 1000 + " s", "see " + files.log(), null);
    }

    /** The last {@code error:} line the server wrote to its log after {@code from} (this start's own lines). */
    private Optional<String> lastError(long from) throws IOException {
        byte[] all = Files.readAllBytes(files.log());
        int start = (int) Math.min(from, all.length);
        String found = null;
        for (String line : new String(all, start, all.length - start, StandardCharsets.UTF_8).split("\n")) {
            int i = line.indexOf(RegistryServer.ERROR_PREFIX);
            if (i >= 0) found = line.substring(i + RegistryServer.ERROR_PREFIX.length());
        }
        return Optional.ofNullable(found);
    }

    /**
     * {@code [setsid] java … RegistryServer <home> <idle>}: a small JVM with this module and H2 on a short class path.
     * {@code setsid} puts it in a session of its own, so a Ctrl-C meant for the command that started it does not
     * stop the registry under the other processes that use it.
     */
    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) cmd.add(setsid.toString());
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Dfile.encoding=UTF-8",
                "-Dh2.bindAddress=" + RegistryServer.BIND_ADDRESS, "-Dh2.allowedClasses=" + RegistryServer.ONLY_H2_CLASSES,
                "-cp", ClassPaths.of(RegistryServer.class, org.h2.Driver.class),
                RegistryServer.class.getName(), files.home().toString(), Integer.toString(idleSeconds)));
        return cmd;
    }

    /** Hikari's view of the served registry. */
    private record ServedDataSource(HomeRegistry registry) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return registry.connect();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return registry.connect();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // no JDBC log writer: Candor logs through SLF4J
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // the server's start and the lock have their own bounds
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}

package dev.candor.registry.home;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.h2.tools.Server;

/**
 * The process that serves a Candor home's embedded H2 registry to every Candor process on the machine that uses
 * that home (runs, the dashboard, {@code candor runs}). It is started by the first of them ({@link HomeRegistry})
 * and outlives them: a run that exits, crashes or is paused takes nothing down with it, which H2's
 * {@code AUTO_SERVER} (the registry lived inside whichever process opened it first) could not promise.
 *
 * <p>It listens on 127.0.0.1 only, on a port the system picks, and accepts only the home's own login (random, in the
 * owner-only {@code registry.secret}); that login may create and change tables and nothing else (no Java functions
 * or triggers, no file access: those need H2's administrator). It opens no database but the home's
 * ({@code -ifExists}). When no client has been connected for the idle time it removes {@code registry.server} and
 * exits; it also exits when the home's database file disappears.
 *
 * <p>Usage: {@code RegistryServer <home> <idle seconds>}. Exit codes: 0 stopped, 2 bad arguments, 3 the database
 * could not be opened or served (the reason is the last {@code error:} line of {@code registry-server.log}).
 */
public final class RegistryServer {
    /** The only address the server binds: other machines cannot reach it at all. */
    static final String BIND_ADDRESS = "127.0.0.1";
    /**
     * H2 loads classes for functions and triggers only from its own package (its server's management database
     * needs them): no JDK or application class, such as {@code java.lang.Runtime}, can be bound to SQL.
     */
    static final String ONLY_H2_CLASSES = "org.h2.*";
    static final String ERROR_PREFIX = "error: ";

    private final HomeFiles files;
    private final int idleSeconds;

    private RegistryServer(HomeFiles files, int idleSeconds) {
        this.files = files;
        this.idleSeconds = idleSeconds;
    }

    public static void main(String[] args) {
        // Before any H2 class reads them (the launcher passes them as -D too).
        System.setProperty("h2.bindAddress", BIND_ADDRESS);
        System.setProperty("h2.allowedClasses", ONLY_H2_CLASSES);
        if (args.length != 2 || !args[1].matches("[0-9]{1,6}")) {
            System.out.println(ERROR_PREFIX + "usage: RegistryServer <home> <idle seconds>");
            System.exit(2);
        }
        RegistryServer server = new RegistryServer(new HomeFiles(Path.of(args[0])), Integer.parseInt(args[1]));
        try {
            server.serve();
            System.exit(0);
        } catch (Exception e) {
            say(ERROR_PREFIX + e.getMessage());
            System.exit(3);
        }
    }

    private void serve() throws Exception {
        Path home = files.home().toRealPath();
        Connection db = open(home);
        for (Path p : new Path[] {files.databaseFile(), home.resolve("registry.trace.db")}) {
            if (Files.exists(p)) OwnerOnly.tighten(p);
        }
        Server tcp = Server.createTcpServer("-tcpPort", "0", "-baseDir", home.toString(), "-ifExists",
                "-tcpPassword", Logins.randomPassword()).start();
        long pid = ProcessHandle.current().pid();
        Thread hook = new Thread(() -> stop(tcp, db, pid), "registry-server-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        HomeFiles.write(files.serverFile(), Map.of("port", Integer.toString(tcp.getPort()), "pid", Long.toString(pid),
                "started", Instant.now().toString()));
        say("serving " + files.database() + " on " + BIND_ADDRESS + ":" + tcp.getPort() + " (pid " + pid
                + ", stops after " + idleSeconds + " s without clients)");
        waitUntilIdle(db);
        say("stopped");
    }

    /** Polls once a second; returns when the server has stopped (idle, or the home was removed). */
    private void waitUntilIdle(Connection db) throws Exception {
        long idleSince = System.nanoTime();
        while (true) {
            Thread.sleep(1000);
            if (!Files.exists(files.databaseFile())) {
                say("the database file " + files.databaseFile() + " is gone: stopping");
                return; // the shutdown hook closes the server
            }
            if (clients(db) > 0) {
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince >= idleSeconds * 1_000_000_000L && stopIfStillIdle(db)) {
                return;
            }
        }
    }

    /**
     * Under the home's lock, so that no client is between reading {@code registry.server} and connecting: clients
     * hold the lock shared while they connect, and a client that finds no server starts one under it.
     */
    private boolean stopIfStillIdle(Connection db) throws Exception {
        try (FileChannel ch = FileChannel.open(files.lockFile(), StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            if (lock == null || clients(db) > 0) {
                return false;
            }
            say("no clients for " + idleSeconds + " s: stopping");
            Files.deleteIfExists(files.serverFile());
            return true;
        }
    }

    /** Sessions other than this process's own. */
    private static int clients(Connection db) throws SQLException {
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            return rs.getInt(1) - 1;
        }
    }

    private void stop(Server tcp, Connection db, long pid) {
        tcp.stop();
        try {
            db.close();
        } catch (SQLException e) {
            say(ERROR_PREFIX + "closing the database: " + e.getMessage());
        }
        try {
            Optional<Map<String, String>> server = HomeFiles.read(files.serverFile());
            if (server.isPresent() && Long.toString(pid).equals(server.get().get("pid"))) {
                Files.deleteIfExists(files.serverFile());
            }
        } catch (IOException e) {
            // the home is being removed; nothing to clean
        }
    }

    /**
     * Opens the database as its administrator, creating it (or its logins) when needed:
     * <ol>
     *   <li>no database file: a new one, administered by {@value Logins#NEW_ADMIN} with a random password;</li>
     *   <li>{@code registry.secret} present: its administrator login;</li>
     *   <li>{@code registry.secret.new} present: a change of logins interrupted after the new ones were saved;</li>
     *   <li>otherwise a home made before logins existed (H2's {@code SA} with an empty password): new random logins
     *       are saved to {@code registry.secret.new} first, then set, then the file is renamed, so an interruption
     *       at any point leaves a login that works.</li>
     * </ol>
     */
    private Connection open(Path home) throws Exception {
        String url = "jdbc:h2:file:" + home.resolve("registry") + ";WRITE_DELAY=0;TRACE_LEVEL_FILE=0";
        Optional<Logins> saved = Logins.read(files.secret());
        if (!Files.exists(files.databaseFile())) {
            Logins logins = saved.orElseGet(() -> Logins.fresh(Logins.NEW_ADMIN));
            if (saved.isEmpty()) logins.write(files.secret());
            Connection c = DriverManager.getConnection(url, logins.adminUser(), logins.adminPassword());
            grantCandor(c, logins);
            say("created " + files.databaseFile());
            return c;
        }
        SQLException refused = null;
        for (Optional<Logins> candidate : java.util.List.of(saved, Logins.read(files.pendingSecret()))) {
            if (candidate.isEmpty()) continue;
            try {
                Connection c = DriverManager.getConnection(url + ";IFEXISTS=TRUE", candidate.get().adminUser(),
                        candidate.get().adminPassword());
                grantCandor(c, candidate.get());
                if (candidate != saved) {
                    Files.move(files.pendingSecret(), files.secret(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                return c;
            } catch (SQLException e) {
                if (e.getErrorCode() != 28000) throw explain(e);
                refused = e;
            }
        }
        try {
            Connection c = DriverManager.getConnection(url + ";IFEXISTS=TRUE", "SA", "");
            Logins logins = Logins.fresh("SA");
            logins.write(files.pendingSecret());
            try (Statement st = c.createStatement()) {
                st.execute("ALTER USER SA SET PASSWORD '" + logins.adminPassword() + "'");
            }
            grantCandor(c, logins);
            Files.move(files.pendingSecret(), files.secret(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            say("gave the registry of this home its own logins (it had H2's default administrator without a password)");
            return c;
        } catch (SQLException e) {
            if (e.getErrorCode() != 28000) throw explain(e);
        }
        throw new IllegalStateException("the registry " + files.databaseFile() + " refuses the logins in "
                + files.secret() + (refused == null ? " (the file is missing)" : "")
                + " — restore registry.secret from the backup of this home it belongs to");
    }

    /** Candor's own login: may change the schema (Flyway) and the data, nothing that runs code or touches files. */
    private static void grantCandor(Connection c, Logins logins) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE USER IF NOT EXISTS " + logins.user() + " PASSWORD '" + logins.password() + "'");
            st.execute("ALTER USER " + logins.user() + " SET PASSWORD '" + logins.password() + "'");
            st.execute("ALTER USER " + logins.user() + " ADMIN FALSE");
            st.execute("GRANT ALTER ANY SCHEMA TO " + logins.user());
        }
    }

    private IllegalStateException explain(SQLException e) {
        if (e.getErrorCode() == 90020) {
            return new IllegalStateException("the registry file " + files.databaseFile() + " is in use by another"
                    + " process (an H2 console, or a Candor older than this one still running) — close it");
        }
        return new IllegalStateException("cannot open " + files.databaseFile() + ": " + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String s) {
        return s == null ? "(no message)" : s.strip().lines().findFirst().orElse("");
    }

    private static void say(String line) {
        System.out.println(Instant.now() + " " + line);
        System.out.flush();
    }
}

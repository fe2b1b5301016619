package dev.candor.registry.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home's registry server as an attacker on the same machine meets it: loopback only, the home's own random
 * login only, a login that can run no Java and read no file, owner-only files; and as its owner meets it: it stops
 * when idle, comes back after a crash with every commit, and takes over homes made before it existed.
 */
class HomeRegistryTest {
    @TempDir
    Path home;

    @AfterEach
    void stopServer() throws Exception {
        TestServers.stop(home);
    }

    @Test
    void theServerListensOnLoopbackOnlyAndAcceptsOnlyTheHomesLogin() throws Exception {
        HomeRegistry registry = HomeRegistry.of(home, 30);
        try (Connection c = registry.connect()) {
            assertThat(c.isValid(2)).isTrue();
        }
        int port = TestServers.port(home);
        // The kernel's socket table: the listening socket is bound to 127.0.0.1 (or its IPv4-mapped IPv6 form).
        List<String> listening = TestServers.listeningAddresses(port);
        assertThat(listening).isNotEmpty().allMatch(a -> a.equals("0100007F") || a.equals("0000000000000000FFFF00000100007F"));

        String url = HomeRegistry.url(port);
        assertThatThrownBy(() -> DriverManager.getConnection(url, "SA", "")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(28000);
        assertThatThrownBy(() -> DriverManager.getConnection(url, "CANDOR", "")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(28000);
        assertThatThrownBy(() -> DriverManager.getConnection(url, "CANDOR_ADMIN", "")).isInstanceOf(SQLException.class);
        // No other database can be opened or created through it.
        assertThatThrownBy(() -> DriverManager.getConnection(HomeRegistry.url(port).replace("/registry", "/other"),
                "SA", "")).isInstanceOf(SQLException.class);
        assertThat(home.resolve("other.mv.db")).doesNotExist();
    }

    @Test
    void candorsLoginCanChangeTablesButRunsNoJavaAndReadsNoFile() throws Exception {
        try (Connection c = HomeRegistry.of(home, 30).connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (i INT PRIMARY KEY)");
            st.execute("INSERT INTO t VALUES (1)");
            st.execute("ALTER TABLE t ADD COLUMN j INT");
            for (String attack : List.of(
                    "CREATE ALIAS EXEC FOR \"java.lang.Runtime.exec(java.lang.String)\"",
                    "CREATE ALIAS HELLO AS 'String hello() { return \"x\"; }'",
                    "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW CALL \"java.lang.Object\"",
                    "SELECT FILE_READ('/etc/passwd')",
                    "SELECT * FROM CSVREAD('/etc/passwd')",
                    "CALL CSVWRITE('" + home.resolve("out.csv") + "', 'SELECT 1')",
                    "SCRIPT TO '" + home.resolve("dump.sql") + "'",
                    "RUNSCRIPT FROM '" + home.resolve("registry.secret") + "'",
                    "CREATE USER mallory PASSWORD 'x' ADMIN",
                    "ALTER USER CANDOR ADMIN TRUE",
                    "CREATE LINKED TABLE l('org.h2.Driver', 'jdbc:h2:mem:x', '', '', 'T')")) {
                assertThatThrownBy(() -> st.execute(attack)).as(attack).isInstanceOf(SQLException.class);
            }
        }
        assertThat(home.resolve("out.csv")).doesNotExist();
        assertThat(home.resolve("dump.sql")).doesNotExist();
    }

    @Test
    void theHomeAndEveryRegistryFileAreOwnerOnly() throws Exception {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Connection c = HomeRegistry.of(home, 30).connect()) {
            assertThat(c.isValid(2)).isTrue();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        for (String file : List.of("registry.mv.db", "registry.secret", "registry.server", "registry.server.lock",
                "registry-server.log")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(file)))).as(file)
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void anotherUserCanNeitherReadTheLoginNorSignInWithoutIt() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root") && Files.isExecutable(Path.of("/usr/sbin/runuser")),
                "needs root to act as the user 'nobody'");
        try (Connection c = HomeRegistry.of(home, 30).connect()) {
            assertThat(c.isValid(2)).isTrue();
        }
        Process cat = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--", "cat", home.resolve("registry.secret").toString())
                .redirectErrorStream(true).start();
        String out = new String(cat.getInputStream().readAllBytes());
        assertThat(cat.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cat.exitValue()).as(out).isNotZero();
        assertThat(out).contains("Permission denied").doesNotContain("password=");
    }

    @Test
    void theServerStopsWhenIdleAndTheNextClientStartsAnother() throws Exception {
        HomeRegistry registry = HomeRegistry.of(home, 1);
        try (Connection c = registry.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (i INT)");
            st.execute("INSERT INTO t VALUES (42)");
        }
        long first = TestServers.pid(home);
        ProcessHandle server = ProcessHandle.of(first).orElseThrow();
        server.onExit().get(30, TimeUnit.SECONDS);
        assertThat(home.resolve("registry.server")).as("removed when it stops").doesNotExist();

        try (Connection c = registry.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT i FROM t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
            assertThat(TestServers.pid(home)).isNotEqualTo(first);
        }
    }

    @Test
    void aClientKeepsTheServerUpPastTheIdleTime() throws Exception {
        HomeRegistry registry = HomeRegistry.of(home, 1);
        try (Connection c = registry.connect(); Statement st = c.createStatement()) {
            long pid = TestServers.pid(home);
            Thread.sleep(3_000);
            assertThat(ProcessHandle.of(pid)).as("still serving its client").isPresent();
            st.execute("CREATE TABLE t (i INT)");
        }
    }

    @Test
    void everyCommitSurvivesTheServerBeingKilled() throws Exception {
        HomeRegistry registry = HomeRegistry.of(home, 30);
        try (Connection c = registry.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (i INT)");
            for (int i = 0; i < 5; i++) st.execute("INSERT INTO t VALUES (" + i + ")");
        }
        long pid = TestServers.pid(home);
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        server.destroyForcibly();
        server.onExit().get(30, TimeUnit.SECONDS);
        assertThat(home.resolve("registry.server")).as("left behind by SIGKILL").exists();

        try (Connection c = registry.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows committed before the kill").isEqualTo(5);
            assertThat(TestServers.pid(home)).isNotEqualTo(pid);
        }
    }

    @Test
    void aStaleServerFileNamingAnotherProgramsPortGetsNoLogin() throws Exception {
        // Something that is not this home's server listens where a crashed one did: the client must not send the login.
        try (java.net.ServerSocket impostor = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Files.createDirectories(home);
            HomeFiles.write(home.resolve("registry.server"), Map.of("port", Integer.toString(impostor.getLocalPort()),
                    "pid", "999999999"));
            impostor.setSoTimeout(100);
            try (Connection c = HomeRegistry.of(home, 30).connect()) {
                assertThat(c.isValid(2)).isTrue();
            }
            assertThatThrownBy(impostor::accept).as("nobody connected to the impostor")
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(TestServers.port(home)).isNotEqualTo(impostor.getLocalPort());
        }
    }

    @Test
    void aHomeMadeBeforeLoginsExistedGetsItsOwnAndKeepsItsData() throws Exception {
        // What every earlier Candor left: H2's SA without a password, opened with AUTO_SERVER.
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("registry"), "SA", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE old_runs (id VARCHAR(36))");
            st.execute("INSERT INTO old_runs VALUES ('r1')");
        }
        try (Connection c = HomeRegistry.of(home, 30).connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM old_runs")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("r1");
            st.execute("INSERT INTO old_runs VALUES ('r2')");
        }
        assertThat(home.resolve("registry.secret")).exists();
        assertThat(home.resolve("registry.secret.new")).doesNotExist();
        assertThatThrownBy(() -> DriverManager.getConnection(HomeRegistry.url(TestServers.port(home)), "SA", ""))
                .isInstanceOf(SQLException.class);
        TestServers.stop(home);
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:file:" + home.resolve("registry") + ";IFEXISTS=TRUE",
                "SA", "")).as("the old empty password no longer opens the file").isInstanceOf(SQLException.class);
    }

    @Test
    void aFileHeldByAnotherProgramIsExplained() throws Exception {
        try (Connection holder = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("registry"), "SA", "")) {
            // An H2 console (or an older Candor) has the file open in its own process: simulated in this JVM by
            // keeping it open here; the registry server, another process, cannot open it.
            assertThat(holder.isValid(1)).isTrue();
            assertThatThrownBy(() -> HomeRegistry.of(home, 30).connect())
                    .isInstanceOf(HomeRegistryException.class)
                    .hasMessageStartingWith("the registry file " + home.resolve("registry.mv.db") + " is in use by another"
                            + " process (an H2 console, or a Candor older than this one still running) — close it");
        }
    }

    @Test
    void idleTimeComesFromTheEnvironmentWithItsRangeInTheMessage() {
        assertThat(HomeRegistry.idleSeconds(null)).isEqualTo(HomeRegistry.DEFAULT_IDLE_SECONDS);
        assertThat(HomeRegistry.idleSeconds(" 5 ")).isEqualTo(5);
        for (String bad : List.of("0", "-1", "ten", "86401")) {
            assertThatThrownBy(() -> HomeRegistry.idleSeconds(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("CANDOR_REGISTRY_IDLE_SECONDS='" + bad + "' is not a whole number of seconds from 1 to 86400"
                            + " — unset it for the default, 60");
        }
    }
}

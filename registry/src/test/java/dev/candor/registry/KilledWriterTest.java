package dev.candor.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.registry.home.HomeRegistry;
import dev.candor.registry.home.TestServers;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit to the embedded registry survives its process being killed right after it: the situation of a
 * {@code candor run} killed with SIGKILL just after a stage finished. (The registry server itself writes every
 * commit when it is made: {@code HomeRegistryTest} kills it too.)
 */
class KilledWriterTest {
    @TempDir
    Path home;

    /** Run in a child JVM: commits five rows through Candor's H2 URL, then halts as abruptly as SIGKILL. */
    public static void main(String[] args) throws Exception {
        try (Connection c = HomeRegistry.of(Path.of(args[0])).connect()) {
            c.createStatement().execute("CREATE TABLE t (i INT)");
            for (int i = 0; i < 5; i++) c.createStatement().execute("INSERT INTO t VALUES (" + i + ")");
            Runtime.getRuntime().halt(137);
        }
    }

    @AfterEach
    void stopServer() throws Exception {
        TestServers.stop(home);
    }

    @Test
    void commitsSurviveAKilledProcess() throws Exception {
        // Only this test's classes, the registry's, H2 and SLF4J on the child's class path: a short command line.
        String classPath = String.join(File.pathSeparator,
                Path.of(KilledWriterTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                Path.of(DbConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                Path.of(org.slf4j.LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-cp", classPath, KilledWriterTest.class.getName(),
                home.toString())).inheritIO().start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("halted, not closed").isEqualTo(137);

        try (Connection c = HomeRegistry.of(home).connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows committed before the kill").isEqualTo(5);
        }
    }
}

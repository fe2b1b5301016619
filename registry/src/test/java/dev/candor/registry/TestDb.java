package dev.candor.registry;

import dev.candor.registry.home.HomeRegistry;
import dev.candor.registry.home.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh, empty registry database for one test class: an H2 file in a temporary directory, or a new schema in the
 * test PostgreSQL (dropped on close). PostgreSQL that cannot be reached fails the test: it is never skipped.
 */
final class TestDb implements AutoCloseable {
    /** The databases every registry test runs against. */
    enum Kind { H2, POSTGRESQL }

    static final String PG_URL = env("CANDOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/candor_test");
    static final String PG_USER = env("CANDOR_TEST_PG_USER", "candor");
    static final String PG_PASSWORD = env("CANDOR_TEST_PG_PASSWORD", "candor");

    private final Kind kind;
    private final DbConfig config;
    private final Path dir;
    private final String schema;

    private TestDb(Kind kind, DbConfig config, Path dir, String schema) {
        this.kind = kind;
        this.config = config;
        this.dir = dir;
        this.schema = schema;
    }

    static TestDb create(Kind kind) {
        try {
            if (kind == Kind.H2) {
                Path dir = Files.createTempDirectory("candor-registry-test");
                return new TestDb(kind, DbConfig.h2(dir), dir, null);
            }
            String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            requireReachable();
            String url = PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            return new TestDb(kind, new DbConfig(url, PG_USER, PG_PASSWORD), null, schema);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary directory for the H2 test database", e);
        }
    }

    static void requireReachable() {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
            c.isValid(2);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + PG_URL + " as " + PG_USER + ": run scripts/test-env.sh"
                    + " (as root), or set CANDOR_TEST_PG_URL / CANDOR_TEST_PG_USER / CANDOR_TEST_PG_PASSWORD. Cause: "
                    + e.getMessage(), e);
        }
    }

    Kind kind() {
        return kind;
    }

    DbConfig config() {
        return config;
    }

    /** The database as a JDBC data source (for Flyway at a chosen version, say). */
    javax.sql.DataSource dataSource() {
        if (kind == Kind.H2) return HomeRegistry.of(dir).dataSource();
        org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
        pg.setUrl(config.url());
        pg.setUser(config.user());
        pg.setPassword(config.password());
        return pg;
    }

    /** The H2 directory; only for H2. */
    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (kind == Kind.POSTGRESQL) {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema.toLowerCase(Locale.ROOT) + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test schema " + schema + " at " + PG_URL, e);
            }
        } else {
            try {
                TestServers.stop(dir); // the home's registry server: before its files go
                if (System.getenv("KEEPLOG") != null && Files.exists(dir.resolve("registry-server.log"))) Files.copy(dir.resolve("registry-server.log"), Path.of("/tmp/keeplog-" + System.nanoTime()));
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the registry server of " + dir, e);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new IllegalStateException("cannot delete " + dir, e);
            }
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}

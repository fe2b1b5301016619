package dev.candor.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Opening a registry that is not there says where, why and what to do, in one line. */
class OpenErrorsTest {

    @Test
    void aServerThatIsNotRunning() {
        DbConfig config = new DbConfig("jdbc:postgresql://127.0.0.1:1/candor?password=secret", "candor", "candor");
        assertThatThrownBy(() -> RegistryDb.open(config))
                .isInstanceOf(RegistryOpenException.class)
                .hasMessage("cannot open the registry at jdbc:postgresql://127.0.0.1:1/candor?password=***: connection refused"
                        + " — start the database server, or point --db / CANDOR_DB_URL at a running one"
                        + " (for Candor's own tests: sudo bash scripts/test-env.sh)");
    }

    @Test
    void aWrongPassword() {
        TestDb.requireReachable();
        DbConfig config = new DbConfig(TestDb.PG_URL, TestDb.PG_USER, "not-the-password");
        assertThatThrownBy(() -> RegistryDb.open(config))
                .isInstanceOf(RegistryOpenException.class)
                .hasMessageStartingWith("cannot open the registry at " + TestDb.PG_URL + ": the database refused the user '"
                        + TestDb.PG_USER + "' (")
                .hasMessageContaining("password authentication failed")
                .hasMessageEndingWith(" — set CANDOR_DB_USER and CANDOR_DB_PASSWORD to the registry's credentials");
    }

    @Test
    void aDatabaseThatDoesNotExist() {
        TestDb.requireReachable();
        String url = TestDb.PG_URL.replaceFirst("/[^/?]+(\\?|$)", "/candor_no_such_db$1");
        DbConfig config = new DbConfig(url, TestDb.PG_USER, TestDb.PG_PASSWORD);
        assertThatThrownBy(() -> RegistryDb.open(config))
                .isInstanceOf(RegistryOpenException.class)
                .hasMessageStartingWith("cannot open the registry at " + url + ": ")
                .hasMessageContaining("\"candor_no_such_db\" does not exist")
                .hasMessageContaining("createdb -O " + TestDb.PG_USER);
    }

    @Test
    void aUrlWithoutDriver() {
        assertThatThrownBy(() -> RegistryDb.open(new DbConfig("jdbc:mysql://localhost/candor", "u", "p")))
                .isInstanceOf(RegistryOpenException.class)
                .hasMessage("cannot open the registry at jdbc:mysql://localhost/candor: no JDBC driver for this URL"
                        + " — use jdbc:postgresql://host:5432/name or jdbc:h2:file:/path/registry");
        assertThatThrownBy(() -> new DbConfig("postgresql://localhost/candor", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a JDBC URL");
    }
}

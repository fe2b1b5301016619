package dev.candor.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbConfigTest {
    private static final Path HOME = Path.of("/home/alice/.candor");

    @Test
    void embeddedH2UnderTheHomeServedByItsRegistryServer() {
        DbConfig h2 = DbConfig.h2(Path.of("/home/alice/./.candor"));
        assertThat(h2.url()).isEqualTo("jdbc:h2:file:/home/alice/.candor/registry");
        assertThat(h2.home()).contains(Path.of("/home/alice/.candor"));
        assertThat(h2.user()).as("the login is the home's own, read when connecting").isEmpty();
        assertThat(h2.password()).isEmpty();
        assertThat(h2.isH2()).isTrue();
    }

    @Test
    void commandLineThenEnvironmentThenH2() {
        Map<String, String> env = Map.of(DbConfig.ENV_URL, "jdbc:postgresql://db:5432/registry",
                DbConfig.ENV_USER, "team", DbConfig.ENV_PASSWORD, "pw");
        assertThat(DbConfig.resolve(HOME, "jdbc:postgresql://other:5432/x", env))
                .isEqualTo(new DbConfig("jdbc:postgresql://other:5432/x", "team", "pw"));
        assertThat(DbConfig.resolve(HOME, null, env)).isEqualTo(new DbConfig("jdbc:postgresql://db:5432/registry", "team", "pw"));
        assertThat(DbConfig.resolve(HOME, "  ", Map.of())).isEqualTo(DbConfig.h2(HOME));
        assertThat(DbConfig.resolve(HOME, "jdbc:h2:mem:x", Map.of()).user()).as("H2 default user").isEqualTo("sa");
    }

    @Test
    void passwordsStayOutOfMessages() {
        DbConfig config = new DbConfig("jdbc:postgresql://db/registry?user=u&password=s3cret&ssl=true", "u", "s3cret");
        assertThat(config.displayUrl()).isEqualTo("jdbc:postgresql://db/registry?user=u&password=***&ssl=true");
        assertThat(config.toString()).doesNotContain("s3cret").contains("password=***");
    }

    @Test
    void thePostgresqlSchemaComesFromCurrentSchema() {
        assertThat(RegistryDb.schemaOf(new DbConfig("jdbc:postgresql://db/r?ssl=true&currentSchema=candor", "u", "p")))
                .contains("candor");
        assertThat(RegistryDb.schemaOf(new DbConfig("jdbc:postgresql://db/r", "u", "p"))).isEmpty();
        assertThat(RegistryDb.schemaOf(DbConfig.h2(HOME))).isEmpty();
    }
}

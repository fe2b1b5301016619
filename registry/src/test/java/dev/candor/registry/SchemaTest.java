package dev.candor.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Flyway migrates an empty database, Hibernate validates it, and reopening migrates nothing: on H2 and PostgreSQL. */
class SchemaTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void migratesValidatesAndReopens(TestDb.Kind kind) throws Exception {
        try (TestDb db = TestDb.create(kind)) {
            try (RegistryDb registryDb = RegistryDb.open(db.config(), new MutableClock(Instant.parse("2026-01-01T00:00:00Z")))) {
                assertThat(registryDb.registry().listRuns(10)).isEmpty();
            }
            // Second open: the schema is at the latest version already; Flyway does nothing and validation passes again.
            try (RegistryDb again = RegistryDb.open(db.config())) {
                assertThat(again.registry().listRuns(10)).isEmpty();
            }
            try (Connection c = RegistryDb.connection(db.config());
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
                List<String> applied = new ArrayList<>();
                while (rs.next()) {
                    applied.add(rs.getString(1) + ":" + rs.getBoolean(2));
                }
                assertThat(applied).containsExactly("1:true", "2:true", "3:true", "4:true");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDb.Kind.class)
    void aTableChangedByHandIsReportedNotRepaired(TestDb.Kind kind) throws Exception {
        try (TestDb db = TestDb.create(kind)) {
            RegistryDb.open(db.config()).close();
            try (Connection c = RegistryDb.connection(db.config());
                 Statement st = c.createStatement()) {
                st.execute("ALTER TABLE run DROP COLUMN actor");
            }
            assertThatThrownBy(() -> RegistryDb.open(db.config()))
                    .isInstanceOf(RegistryOpenException.class)
                    .hasMessageStartingWith("cannot open the registry at " + db.config().displayUrl() + ": ")
                    .hasMessageContaining("the database schema does not match this Candor version")
                    .hasMessageContaining("actor")
                    .hasMessageContaining("do not change the tables by hand");
        }
    }
}

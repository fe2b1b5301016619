package dev.candor.registry;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.candor.registry.entity.RegistryEntities;
import dev.candor.registry.home.HomeRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.HibernateException;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.boot.registry.BootstrapServiceRegistry;
import org.hibernate.boot.registry.BootstrapServiceRegistryBuilder;
import org.hibernate.boot.registry.classloading.internal.TcclLookupPrecedence;
import org.hibernate.cfg.Configuration;
import org.hibernate.tool.schema.spi.SchemaManagementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open registry database: migrated by Flyway ({@code classpath:db/migration}), then validated and mapped by
 * Hibernate (schema action {@code validate}: Hibernate never changes the schema). Close it when the process is done.
 */
public final class RegistryDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryDb.class);
    private static final Pattern PG_CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([^&]+)");
    private static final String SCHEMA_FIX = "the schema belongs to Flyway (db-migrations, db/migration/V*.sql):"
            + " do not change the tables by hand, and open the database with the Candor version that last migrated it"
            + " or a newer one";

    static {
        // Hibernate logs through jboss-logging, which falls back to java.util.logging (two-line records on stderr)
        // when it finds no logback. Route it to SLF4J like the rest of Candor, unless the process chose already
        // (Quarkus configures its own log manager before any of this runs).
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
    }

    private final DbConfig config;
    private final HikariDataSource dataSource;
    private final SessionFactory sessionFactory;
    private final Registry registry;

    private RegistryDb(DbConfig config, HikariDataSource dataSource, SessionFactory sessionFactory, Registry registry) {
        this.config = config;
        this.dataSource = dataSource;
        this.sessionFactory = sessionFactory;
        this.registry = registry;
    }

    /**
     * Opens (and creates or migrates when needed) the registry.
     *
     * @throws RegistryOpenException with a one-line message naming the URL, the cause and the fix
     */
    public static RegistryDb open(DbConfig config) {
        return open(config, Clock.systemUTC());
    }

    static RegistryDb open(DbConfig config, Clock clock) {
        Require.present(config, "RegistryDb.open: DbConfig");
        Optional<HomeRegistry> served = config.home().map(HomeRegistry::of);
        // A first connection of our own: its failure is one SQLException we can explain, where the pool would log
        // a stack trace first. Kept open while the pool starts, so the database is not closed and reopened.
        try (Connection probe = connect(config, served)) {
            HikariDataSource dataSource = pool(config, served);
            try {
                migrate(config, dataSource);
                SessionFactory sessionFactory = sessionFactory(config, dataSource);
                LOG.debug("registry open at {}", config.displayUrl());
                return new RegistryDb(config, dataSource, sessionFactory, new Registry(sessionFactory, clock));
            } catch (RuntimeException e) {
                dataSource.close();
                throw e;
            }
        } catch (SQLException e) {
            throw OpenErrors.connecting(config, e);
        }
    }

    /**
     * A plain JDBC connection to the registry database, for what the registry API does not offer (tests, repair
     * tools). For a home's embedded registry it goes through the home's registry server, starting it if needed.
     */
    public static Connection connection(DbConfig config) throws SQLException {
        return connect(config, config.home().map(HomeRegistry::of));
    }

    private static Connection connect(DbConfig config, Optional<HomeRegistry> served) throws SQLException {
        return served.isPresent() ? served.get().connect()
                : DriverManager.getConnection(config.url(), config.user(), config.password());
    }

    /** The registry API over this database. */
    public Registry registry() {
        return registry;
    }

    /** Where this registry lives. */
    public DbConfig config() {
        return config;
    }

    @Override
    public void close() {
        try {
            sessionFactory.close();
        } finally {
            dataSource.close();
        }
    }

    private static HikariDataSource pool(DbConfig config, Optional<HomeRegistry> served) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("candor-registry");
        if (served.isPresent()) {
            hc.setDataSource(served.get().dataSource());
        } else {
            hc.setJdbcUrl(config.url());
            hc.setUsername(config.user());
            hc.setPassword(config.password());
        }
        hc.setMaximumPoolSize(4);
        hc.setMinimumIdle(0);
        hc.setConnectionTimeout(10_000);
        // The probe connection has already shown the database is reachable.
        hc.setInitializationFailTimeout(-1);
        return new HikariDataSource(hc);
    }

    private static void migrate(DbConfig config, DataSource dataSource) {
        FluentConfiguration flyway = Flyway.configure(RegistryDb.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true);
        schemaOf(config).ifPresent(schema -> flyway.schemas(schema).defaultSchema(schema).createSchemas(true));
        try {
            MigrateResult result = flyway.load().migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("registry at {} migrated to schema version {}", config.displayUrl(), result.targetSchemaVersion);
            }
        } catch (FlywayException e) {
            throw OpenErrors.failure(config, "the schema migration failed (" + OpenErrors.firstLine(e.getMessage()) + ")",
                    SCHEMA_FIX, e);
        }
    }

    private static SessionFactory sessionFactory(DbConfig config, DataSource dataSource) {
        // Resolve classes through the loader that loaded the entities, never the thread's context loader: inside the
        // Quarkus dashboard the two differ, and Hibernate would then not recognise the entity annotations.
        BootstrapServiceRegistryBuilder builder = new BootstrapServiceRegistryBuilder()
                .applyClassLoader(RegistryDb.class.getClassLoader());
        builder.applyTcclLookupPrecedence(TcclLookupPrecedence.NEVER);
        BootstrapServiceRegistry bootstrap = builder.build();
        Configuration cfg = new Configuration(bootstrap);
        RegistryEntities.ALL.forEach(cfg::addAnnotatedClass);
        cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource);
        cfg.setProperty(AvailableSettings.HBM2DDL_AUTO, "validate");
        schemaOf(config).ifPresent(schema -> cfg.setProperty(AvailableSettings.DEFAULT_SCHEMA, schema));
        try {
            return cfg.buildSessionFactory();
        } catch (SchemaManagementException e) {
            throw OpenErrors.failure(config, "the database schema does not match this Candor version ("
                    + OpenErrors.firstLine(e.getMessage()) + ")", SCHEMA_FIX, e);
        } catch (HibernateException e) {
            throw OpenErrors.failure(config, "Hibernate could not start (" + OpenErrors.firstLine(e.getMessage()) + ")",
                    "report this with the message above", e);
        }
    }

    /** PostgreSQL's {@code ?currentSchema=} names the schema Flyway must create and migrate, and Hibernate validate. */
    static Optional<String> schemaOf(DbConfig config) {
        if (!config.url().startsWith("jdbc:postgresql:")) {
            return Optional.empty();
        }
        Matcher m = PG_CURRENT_SCHEMA.matcher(config.url());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}

package dev.candor.dashboard;

import dev.candor.registry.DbConfig;
import dev.candor.registry.Registry;
import dev.candor.registry.RegistryDb;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Opens the registry once, at start-up, exactly as the engine does: H2 under the Candor home by default, or the
 * database {@code CANDOR_DB_URL} names. Failing here fails start-up with the reason, rather than the first request.
 */
@ApplicationScoped
@Startup
public class RegistryProducer {
    private static final Logger LOG = Logger.getLogger(RegistryProducer.class);

    private final RegistryDb db;

    RegistryProducer(@ConfigProperty(name = "candor.home") String home,
                     @ConfigProperty(name = "candor.db.url") Optional<String> url) {
        DbConfig config = DbConfig.resolve(Path.of(home), url.filter(u -> !u.isBlank()).orElse(null));
        this.db = RegistryDb.open(config);
        LOG.infof("registry: %s", config.displayUrl());
    }

    @Produces
    @ApplicationScoped
    Registry registry() {
        return db.registry();
    }

    @PreDestroy
    void close() {
        db.close();
    }
}

package dev.candor.dashboard;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fresh, empty Candor home for dashboard tests that insert their own runs through the dashboard's registry (no
 * pipeline runs: quick to start). The dashboard's H2 registry is created there on start-up.
 */
public class FixtureHomeResource implements QuarkusTestResourceLifecycleManager {
    static Path home;

    @Override
    public Map<String, String> start() {
        try {
            home = Files.createTempDirectory("candor-dashboard-fixture-");
            return Map.of("candor.home", home.toString(), "candor.db.url", "");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary Candor home", e);
        }
    }

    @Override
    public void stop() {
    }
}

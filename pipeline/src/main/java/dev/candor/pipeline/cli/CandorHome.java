package dev.candor.pipeline.cli;

import dev.candor.registry.DbConfig;
import dev.candor.registry.home.HomeFiles;
import java.nio.file.Path;

/**
 * Where Candor keeps its state: {@code --home}, else {@code CANDOR_HOME}, else {@code ~/.candor}; the registry
 * database is H2 in that directory unless {@code --db} / {@code CANDOR_DB_URL} names another (PostgreSQL).
 */
record CandorHome(Path dir, DbConfig db) {
    static CandorHome resolve(Path homeOption, String dbOption) {
        Path home = homeOption != null ? homeOption
                : System.getenv("CANDOR_HOME") != null && !System.getenv("CANDOR_HOME").isBlank()
                ? Path.of(System.getenv("CANDOR_HOME"))
                : Path.of(System.getProperty("user.home"), ".candor");
        home = home.toAbsolutePath().normalize();
        return new CandorHome(home, DbConfig.resolve(home, dbOption));
    }

    /** The artifact store's directory; the home itself is created (or made) owner-only first. */
    Path artifacts() {
        HomeFiles.ensurePrivateDirectory(dir);
        return dir.resolve("artifacts");
    }
}

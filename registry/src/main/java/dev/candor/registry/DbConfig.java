package dev.candor.registry;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the registry lives and how to log in.
 *
 * <p>By default an embedded H2 file under the Candor home; a team points every process (CLI, workers, dashboard)
 * at one PostgreSQL with {@code --db} or {@code CANDOR_DB_URL}. {@link #toString()} hides the password.
 *
 * @param url      a JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://...}); for a home's embedded registry,
 *                 where its file is ({@code jdbc:h2:file:<home>/registry})
 * @param user     the database user (for a home's registry, its login is read from the home when connecting)
 * @param password the password (may be empty)
 * @param home     the Candor home whose embedded registry this is, served by its registry server
 *                 ({@link dev.candor.registry.home.HomeRegistry}); empty for a database named by URL
 */
public record DbConfig(String url, String user, String password, Optional<Path> home) {
    /** Environment variable with the JDBC URL, used when no {@code --db} is given. */
    public static final String ENV_URL = "CANDOR_DB_URL";
    /** Environment variable with the database user. */
    public static final String ENV_USER = "CANDOR_DB_USER";
    /** Environment variable with the database password. */
    public static final String ENV_PASSWORD = "CANDOR_DB_PASSWORD";
    /** The user for an H2 database named by URL when {@code CANDOR_DB_USER} gives none (H2's default). */
    public static final String H2_USER = "sa";

    public DbConfig {
        Require.text(url, "DbConfig.url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("database URL '" + url
                    + "' is not a JDBC URL; expected jdbc:postgresql://host:5432/name or jdbc:h2:file:/path/registry");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        home = home == null ? Optional.empty() : home;
    }

    /** A database named by its URL. */
    public DbConfig(String url, String user, String password) {
        this(url, user, password, Optional.empty());
    }

    /**
     * The embedded registry of a Candor home: the H2 file {@code <home>/registry.mv.db}, served to every Candor
     * process that uses the home by the home's registry server (see {@link dev.candor.registry.home.HomeRegistry}),
     * which listens on 127.0.0.1 only and accepts only the home's own random login.
     */
    public static DbConfig h2(Path candorHome) {
        Path home = candorHome.toAbsolutePath().normalize();
        return new DbConfig("jdbc:h2:file:" + home.resolve("registry"), "", "", Optional.of(home));
    }

    /**
     * The URL given on the command line ({@code --db}), else {@code CANDOR_DB_URL}, else the embedded H2 under
     * {@code candorHome}. User and password come from {@code CANDOR_DB_USER} and {@code CANDOR_DB_PASSWORD}
     * (an H2 URL without a user gets {@value #H2_USER}).
     */
    public static DbConfig resolve(Path candorHome, String urlOrNull) {
        return resolve(candorHome, urlOrNull, System.getenv());
    }

    static DbConfig resolve(Path candorHome, String urlOrNull, Map<String, String> env) {
        String url = nonBlank(urlOrNull) ? urlOrNull.trim() : env.get(ENV_URL);
        if (!nonBlank(url)) {
            return h2(candorHome);
        }
        String user = env.get(ENV_USER);
        if (!nonBlank(user) && url.trim().startsWith("jdbc:h2:")) {
            user = H2_USER;
        }
        return new DbConfig(url.trim(), user, env.getOrDefault(ENV_PASSWORD, ""));
    }

    /** The URL with any {@code password=} parameter masked, for messages and logs. */
    public String displayUrl() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** Whether this is an H2 database (embedded file or in-memory). */
    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    @Override
    public String toString() {
        return "DbConfig[url=" + displayUrl() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***") + "]";
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }
}

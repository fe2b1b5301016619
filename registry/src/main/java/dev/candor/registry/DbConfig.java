package dev.candor.registry;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the registry lives and how to log in.
 *
 * <p>By default an embedded H2 file under the Candor home; a team points every process (CLI, workers, dashboard)
 * at one PostgreSQL with {@code --db} or {@code CANDOR_DB_URL}. {@link #toString()} hides the password.
 *
 * @param url      a JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://...})
 * @param user     the database user
 * @param password the password (may be empty)
 */
public record DbConfig(String url, String user, String password) {
    /** Environment variable with the JDBC URL, used when no {@code --db} is given. */
    public static final String ENV_URL = "CANDOR_DB_URL";
    /** Environment variable with the database user. */
    public static final String ENV_USER = "CANDOR_DB_USER";
    /** Environment variable with the database password. */
    public static final String ENV_PASSWORD = "CANDOR_DB_PASSWORD";
    /** The user of the embedded H2 registry (the dashboard must use the same to open the same file). */
    public static final String H2_USER = "sa";

    public DbConfig {
        Require.text(url, "DbConfig.url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("database URL '" + url
                    + "' is not a JDBC URL; expected jdbc:postgresql://host:5432/name or jdbc:h2:file:/path/registry");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /**
     * The embedded registry: {@code jdbc:h2:file:<home>/registry;AUTO_SERVER=TRUE;WRITE_DELAY=0}. AUTO_SERVER lets a
     * second process (the dashboard beside a CLI run) open the same file: the first one serves it to the others over
     * TCP. WRITE_DELAY=0 writes every commit to the file when it is made: H2 keeps no redo log, and with its default
     * (500 ms) a process killed with SIGKILL loses the commits of its last half second, such as a stage that had
     * just finished, which a rerun would then train again.
     */
    public static DbConfig h2(Path candorHome) {
        Path file = candorHome.toAbsolutePath().normalize().resolve("registry");
        return new DbConfig("jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;WRITE_DELAY=0", H2_USER, "");
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

package dev.candor.registry;

import dev.candor.registry.home.HomeRegistryException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns the usual reasons a registry database cannot be opened into one line with the fix, so the CLI need not
 * show a stack trace for a server that is not running or a file another process holds.
 */
final class OpenErrors {
    private static final String WHERE_URL = "the URL comes from --db, else CANDOR_DB_URL, else the embedded H2 file";

    private OpenErrors() {
    }

    static RegistryOpenException connecting(DbConfig config, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int h2Code = config.isH2() ? e.getErrorCode() : 0;
        String cause;
        String fix;
        if (e instanceof HomeRegistryException served) {
            cause = served.reason();
            fix = served.fix();
        } else if (has(e, ConnectException.class)) {
            cause = "connection refused";
            fix = "start the database server, or point --db / CANDOR_DB_URL at a running one"
                    + " (for Candor's own tests: sudo bash scripts/test-env.sh)";
        } else if (has(e, UnknownHostException.class)) {
            cause = "unknown host (" + rootMessage(e) + ")";
            fix = "check the host name in the URL (" + WHERE_URL + ")";
        } else if (h2Code == 90020) {
            cause = "the database file is locked by another process";
            fix = "close the other process that has it open (an H2 console, or a process given the file's jdbc:h2:file:"
                    + " URL with --db); Candor's own processes share a home's registry through its registry server";
        } else if ("28P01".equals(state) || "28000".equals(state) || h2Code == 28000) {
            cause = "the database refused the user '" + config.user() + "' (" + firstLine(e.getMessage()) + ")";
            fix = "set CANDOR_DB_USER and CANDOR_DB_PASSWORD to the registry's credentials";
        } else if ("3D000".equals(state)) {
            cause = firstLine(e.getMessage());
            fix = "create it (as the postgres user: createdb -O " + (config.user().isEmpty() ? "<user>" : config.user())
                    + " <name>) or correct the database name in the URL";
        } else if (e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
            cause = "no JDBC driver for this URL";
            fix = "use jdbc:postgresql://host:5432/name or jdbc:h2:file:/path/registry";
        } else if (state.startsWith("08")) {
            cause = "cannot connect (" + firstLine(rootMessage(e)) + ")";
            fix = "check that the database server runs and accepts connections from this machine; " + WHERE_URL;
        } else {
            cause = firstLine(e.getMessage()) + (state.isEmpty() ? "" : " [SQLState " + state + "]");
            fix = "check the database and the URL (" + WHERE_URL + ")";
        }
        return failure(config, cause, fix, e);
    }

    static RegistryOpenException failure(DbConfig config, String cause, String fix, Throwable e) {
        return new RegistryOpenException("cannot open the registry at " + config.displayUrl() + ": " + cause + " — " + fix, e);
    }

    static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() > 500 ? line.substring(0, 500) + "…" : line;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}

package dev.candor.registry.home;

import java.sql.SQLException;

/**
 * The home's registry server could not be started or reached: {@link #reason()} says why, {@link #fix()} what to do.
 * An {@link SQLException} so that it travels through JDBC connection pools like any failure to connect.
 */
public final class HomeRegistryException extends SQLException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String fix;

    HomeRegistryException(String reason, String fix, Throwable cause) {
        super(reason + " — " + fix, "08001", cause);
        this.reason = reason;
        this.fix = fix;
    }

    /** What went wrong, in one line. */
    public String reason() {
        return reason;
    }

    /** What the user can do about it. */
    public String fix() {
        return fix;
    }
}

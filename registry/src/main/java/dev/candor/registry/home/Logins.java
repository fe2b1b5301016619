package dev.candor.registry.home;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded registry's two logins, kept in the home's owner-only {@code registry.secret}: Candor's processes sign
 * in as {@link #user} (may create and change tables, nothing else: no Java functions, triggers, file access, users),
 * and only the registry server itself uses the administrator, to open the file and count who is connected.
 */
record Logins(String user, String password, String adminUser, String adminPassword) {
    /** The login every Candor process uses. */
    static final String USER = "CANDOR";
    /** The administrator of a registry created by this version (older homes keep H2's {@code SA}). */
    static final String NEW_ADMIN = "CANDOR_ADMIN";

    private static final SecureRandom RANDOM = new SecureRandom();

    static Logins fresh(String adminUser) {
        return new Logins(USER, randomPassword(), adminUser, randomPassword());
    }

    static String randomPassword() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static Optional<Logins> read(java.nio.file.Path file) throws IOException {
        Optional<Map<String, String>> values = HomeFiles.read(file);
        if (values.isEmpty()) return Optional.empty();
        Map<String, String> v = values.get();
        for (String key : new String[] {"user", "password", "admin.user", "admin.password"}) {
            if (v.get(key) == null || v.get(key).isBlank()) {
                throw new IOException(file + " lacks '" + key + "': restore it from a backup of the home");
            }
        }
        return Optional.of(new Logins(v.get("user"), v.get("password"), v.get("admin.user"), v.get("admin.password")));
    }

    void write(java.nio.file.Path file) throws IOException {
        HomeFiles.write(file, Map.of("user", user, "password", password, "admin.user", adminUser,
                "admin.password", adminPassword));
    }

    @Override
    public String toString() {
        return "Logins[user=" + user + ", admin=" + adminUser + "]";
    }
}

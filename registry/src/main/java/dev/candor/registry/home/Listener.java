package dev.candor.registry.home;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the registry server recorded in a home is still there and still ours, before a client sends it the login.
 * A server killed with SIGKILL leaves {@code registry.server} behind; its port may since have been taken by another
 * user's program, which would then receive the login. On Linux the kernel's socket table ({@code /proc/net/tcp},
 * {@code tcp6}) says which user owns the socket listening on the port; elsewhere the recorded process must still
 * be alive and run as this user.
 */
final class Listener {
    private static final String LISTEN = "0A";

    private Listener() {
    }

    static boolean isOurs(int port, long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) return false;
        Optional<Integer> uid = ownUid();
        if (uid.isPresent()) {
            Optional<Boolean> socket = listenerOwnedBy(port, uid.get());
            if (socket.isPresent()) return socket.get();
        }
        return process.get().info().user().map(u -> u.equals(System.getProperty("user.name"))).orElse(true);
    }

    private static Optional<Integer> ownUid() {
        try {
            return Optional.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** True when a socket listening on {@code port} belongs to {@code uid}, false when none does, empty without /proc. */
    static Optional<Boolean> listenerOwnedBy(int port, int uid) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        boolean readable = false;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            readable = true;
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 7 && f[1].endsWith(hexPort) && LISTEN.equals(f[3])) {
                    return Optional.of(f[7].equals(Integer.toString(uid)));
                }
            }
        }
        return readable ? Optional.of(false) : Optional.empty();
    }
}

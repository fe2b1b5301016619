package dev.candor.registry.home;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The registry server of a home, seen from outside, as tests need it. */
public final class TestServers {
    private TestServers() {
    }

    public static int port(Path home) throws Exception {
        return Integer.parseInt(HomeFiles.read(home.resolve("registry.server")).orElseThrow().get("port"));
    }

    public static long pid(Path home) throws Exception {
        return Long.parseLong(HomeFiles.read(home.resolve("registry.server")).orElseThrow().get("pid"));
    }

    /** Stops the home's server, if one runs, and waits until it has exited. */
    public static void stop(Path home) throws Exception {
        if (!Files.exists(home.resolve("registry.server"))) return;
        var handle = ProcessHandle.of(pid(home));
        if (handle.isPresent()) {
            handle.get().destroy();
            handle.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    /** The local addresses (hex, as the kernel writes them) of the sockets listening on {@code port}. */
    public static List<String> listeningAddresses(int port) throws Exception {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> out = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (local[1].equals(hexPort) && f[3].equals("0A")) out.add(local[0]);
            }
        }
        return out;
    }
}

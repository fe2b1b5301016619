package dev.candor.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Starts {@link RegistryPeer} in its own JVM (class path through the CLASSPATH variable, not a long -cp). */
final class ChildJvm {
    private ChildJvm() {
    }

    static Process start(String mode, Path home) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                RegistryPeer.class.getName(), mode, home.toString()));
        pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        pb.redirectErrorStream(true);
        return pb.start();
    }

    static BufferedReader output(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}

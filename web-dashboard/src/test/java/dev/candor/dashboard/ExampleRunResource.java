package dev.candor.dashboard;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Before the dashboard starts: runs the breast-cancer example through the real {@code ./candor} launcher (a separate
 * JVM, as a user would) into a fresh Candor home, and points the dashboard at that home's registry.
 */
public class ExampleRunResource implements QuarkusTestResourceLifecycleManager {
    static Path home;

    static Path install() {
        String dir = System.getProperty("candor.install");
        if (dir == null) throw new IllegalStateException("system property candor.install (the repository root) is not set");
        return Path.of(dir);
    }

    @Override
    public Map<String, String> start() {
        try {
            home = Files.createTempDirectory("candor-dashboard-test-");
            Path log = home.resolve("run.log");
            Process p = new ProcessBuilder(List.of(install().resolve("candor").toString(), "run",
                    install().resolve("examples/breast-cancer/pipeline.yaml").toString(), "--home", home.toString(), "--plain"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("./candor run did not finish in 10 minutes; output:\n" + Files.readString(log));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("./candor run exited " + p.exitValue() + "; output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return Map.of("candor.home", home.toString(), "candor.db.url", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }
}

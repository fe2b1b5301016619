package dev.candor.pipeline.cli;

import dev.candor.registry.DbConfig;
import dev.candor.registry.home.HomeFiles;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Starts the dashboard (the Quarkus application in {@code web-dashboard/}) as its own process over the same
 * registry. It is a separate process, not a library call, because nothing may depend on the dashboard module.
 */
@Command(name = "up", description = "Serves the dashboard over the registry (Ctrl-C stops it).")
final class UpCommand implements Callable<Integer> {
    @Mixin
    HomeOptions home;

    @Option(names = "--port", description = "HTTP port (default ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--host", description = "address to listen on (default ${DEFAULT-VALUE}: this machine only)")
    String host = "127.0.0.1";

    @Override
    public Integer call() throws Exception {
        Path jar = dashboardJar();
        if (!Files.isRegularFile(jar)) {
            System.err.println("candor: the dashboard is not built (" + jar + " is missing): run `mvn -DskipTests package` in "
                    + jar.getParent().getParent().getParent());
            return CandorCli.ENVIRONMENT_ERROR;
        }
        CandorHome h = home.resolve();
        HomeFiles.ensurePrivateDirectory(h.dir());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=" + host, "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("CANDOR_HOME", h.dir().toString());
        if (h.db().home().isPresent()) {
            // The home's own registry: the dashboard reaches it through the home's registry server, like every process.
            pb.environment().remove(DbConfig.ENV_URL);
        } else {
            pb.environment().put(DbConfig.ENV_URL, h.db().url());
            pb.environment().put(DbConfig.ENV_USER, h.db().user());
            pb.environment().put(DbConfig.ENV_PASSWORD, h.db().password());
        }
        System.out.printf("dashboard: http://%s:%d/  (registry %s; Ctrl-C stops it)%n", host.equals("0.0.0.0") ? "localhost" : host, port,
                h.db().displayUrl());
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p.waitFor() == 0 ? CandorCli.OK : CandorCli.ENVIRONMENT_ERROR;
    }

    /** {@code $CANDOR_INSTALL/web-dashboard/target/quarkus-app/quarkus-run.jar}, the install dir defaulting to where this jar was built. */
    static Path dashboardJar() throws URISyntaxException {
        String install = System.getenv("CANDOR_INSTALL");
        Path root;
        if (install != null && !install.isBlank()) {
            root = Path.of(install);
        } else {
            Path self = Path.of(UpCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            root = self.getParent().getParent().getParent(); // <root>/pipeline/target/candor-pipeline.jar
        }
        return root.resolve("web-dashboard/target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
    }
}

package dev.candor.pipeline.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the registry and artifacts live: shared by every command that touches them. */
final class HomeOptions {
    @Option(names = "--home", paramLabel = "DIR", description = "Candor home: registry and artifacts (default: $CANDOR_HOME or ~/.candor)")
    Path home;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Registry database, e.g. jdbc:postgresql://host/candor (default: $CANDOR_DB_URL or H2 in the home)")
    String db;

    CandorHome resolve() {
        return CandorHome.resolve(home, db);
    }
}

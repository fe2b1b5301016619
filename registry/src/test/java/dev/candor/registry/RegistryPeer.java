package dev.candor.registry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * A second process for the H2 tests, started by {@link ChildJvm}: {@code share <home>} opens the registry as the CLI
 * would, reports the runs it sees and adds one; {@code hold <home>} opens the H2 file without AUTO_SERVER and keeps
 * it (locked) until its standard input closes.
 */
public final class RegistryPeer {
    private RegistryPeer() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[1]);
        if (args[0].equals("share")) {
            try (RegistryDb db = RegistryDb.open(DbConfig.h2(home))) {
                for (RunSummary run : db.registry().listRuns(100)) {
                    System.out.println("seen " + run.id());
                }
                System.out.println("created " + db.registry().createRun(Fixtures.newRun("peer", "peer: 1\n")));
            }
        } else if (args[0].equals("hold")) {
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("registry"), DbConfig.H2_USER, "")) {
                System.out.println("holding");
                System.out.flush();
                while (System.in.read() != -1) {
                    // wait for the parent to close our input
                }
            }
        } else {
            throw new IllegalArgumentException("unknown mode " + args[0] + "; expected share or hold");
        }
    }
}

package dev.candor.registry;

import java.nio.file.Path;

/**
 * A second process for the H2 tests, started by {@link ChildJvm}: {@code share <home>} opens the registry as the CLI
 * would, reports the runs it sees and adds one; {@code open <home>} opens it, adds a run, and keeps it open until its
 * standard input closes.
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
        } else if (args[0].equals("open")) {
            try (RegistryDb db = RegistryDb.open(DbConfig.h2(home))) {
                System.out.println("created " + db.registry().createRun(Fixtures.newRun("first", "first: 1\n")));
                System.out.flush();
                while (System.in.read() != -1) {
                    // keep the registry open until the parent closes our input or kills us
                }
            }
        } else {
            throw new IllegalArgumentException("unknown mode " + args[0] + "; expected share or open");
        }
    }
}

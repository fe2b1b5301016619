package dev.candor.registry;

import static dev.candor.registry.Fixtures.newRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedded H2 registry shared by two processes (CLI and dashboard) through AUTO_SERVER, and the locked case. */
class H2SharingTest {

    @Test
    void twoInstancesInOneProcessSeeEachOther() {
        try (TestDb db = TestDb.create(TestDb.Kind.H2);
             RegistryDb a = RegistryDb.open(DbConfig.h2(db.dir()));
             RegistryDb b = RegistryDb.open(DbConfig.h2(db.dir()))) {
            String fromA = a.registry().createRun(newRun("shared", "s: 1\n"));
            String fromB = b.registry().createRun(newRun("shared", "s: 1\n"));
            assertThat(a.registry().getRun(fromB)).isPresent();
            assertThat(b.registry().getRun(fromA)).isPresent();
        }
    }

    @Test
    void aSecondProcessOpensTheSameFileWhileTheFirstHoldsIt() throws Exception {
        try (TestDb db = TestDb.create(TestDb.Kind.H2); RegistryDb first = RegistryDb.open(DbConfig.h2(db.dir()))) {
            String mine = first.registry().createRun(newRun("shared", "s: 1\n"));

            Process peer = ChildJvm.start("share", db.dir());
            List<String> lines;
            try (BufferedReader out = ChildJvm.output(peer)) {
                lines = out.lines().toList();
            }
            assertThat(peer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(peer.exitValue()).as("peer output: %s", lines).isZero();
            assertThat(lines).contains("seen " + mine);
            String theirs = lines.stream().filter(l -> l.startsWith("created ")).findFirst().orElseThrow().substring(8);
            // The first process, still open, reads what the second one wrote, and keeps writing.
            assertThat(first.registry().getRun(theirs).orElseThrow().summary().pipelineName()).isEqualTo("peer");
            first.registry().finishRun(mine, RunStatus.SUCCEEDED, null);
        }
    }

    @Test
    void aFileLockedByAProcessWithoutAutoServerIsExplained() throws Exception {
        try (TestDb db = TestDb.create(TestDb.Kind.H2)) {
            Process holder = ChildJvm.start("hold", db.dir());
            try (BufferedReader out = ChildJvm.output(holder)) {
                assertThat(out.readLine()).isEqualTo("holding");
                assertThatThrownBy(() -> RegistryDb.open(DbConfig.h2(db.dir())))
                        .isInstanceOf(RegistryOpenException.class)
                        .hasMessage("cannot open the registry at " + DbConfig.h2(db.dir()).url()
                                + ": the database file is locked by another process — close the other process that has it"
                                + " open (another candor run, candor up, an H2 console), or open the file with"
                                + " ;AUTO_SERVER=TRUE in every process (Candor's default URL does)");
            } finally {
                holder.getOutputStream().close();
                holder.waitFor(30, TimeUnit.SECONDS);
                holder.destroy();
            }
        }
    }
}

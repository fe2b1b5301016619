package dev.candor.registry;

import static dev.candor.registry.Fixtures.newRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.registry.home.TestServers;
import java.io.BufferedReader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedded H2 registry of a home, shared by several processes through the home's registry server. */
class H2SharingTest {

    @Test
    void twoInstancesInOneProcessSeeEachOther() throws Exception {
        try (TestDb db = TestDb.create(TestDb.Kind.H2)) {
            try (RegistryDb a = RegistryDb.open(DbConfig.h2(db.dir()));
                 RegistryDb b = RegistryDb.open(DbConfig.h2(db.dir()))) {
                String fromA = a.registry().createRun(newRun("shared", "s: 1\n"));
                String fromB = b.registry().createRun(newRun("shared", "s: 1\n"));
                assertThat(a.registry().getRun(fromB)).isPresent();
                assertThat(b.registry().getRun(fromA)).isPresent();
            } finally {
                TestServers.stop(db.dir());
            }
        }
    }

    @Test
    void aSecondProcessOpensTheSameHomeWhileTheFirstHoldsIt() throws Exception {
        try (TestDb db = TestDb.create(TestDb.Kind.H2)) {
            try (RegistryDb first = RegistryDb.open(DbConfig.h2(db.dir()))) {
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
            } finally {
                TestServers.stop(db.dir());
            }
        }
    }

    @Test
    void theRegistryOutlivesTheProcessThatStartedItsServer() throws Exception {
        // Six concurrent runs in one home once broke when the process hosting H2's AUTO_SERVER exited. Now the first
        // process only starts the home's registry server: killing it takes nothing away from the others.
        try (TestDb db = TestDb.create(TestDb.Kind.H2)) {
            Process first = ChildJvm.start("open", db.dir());
            try (BufferedReader out = ChildJvm.output(first)) {
                String line = out.readLine();
                while (line != null && !line.startsWith("created ")) line = out.readLine(); // past any log lines
                assertThat(line).as("the first process's report").isNotNull();
                try (RegistryDb second = RegistryDb.open(DbConfig.h2(db.dir()))) {
                    String mine = second.registry().createRun(newRun("second", "s: 2\n"));
                    first.destroyForcibly();
                    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    second.registry().finishRun(mine, RunStatus.SUCCEEDED, null);
                    assertThat(second.registry().getRun(line.substring(8))).isPresent();
                    assertThat(second.registry().getRun(mine).orElseThrow().summary().status()).isEqualTo("SUCCEEDED");
                }
            } finally {
                first.destroyForcibly();
                TestServers.stop(db.dir());
            }
        }
    }
}

package dev.candor.pipeline.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The real {@code ./candor} launcher as a separate process, as a user runs it, for the integration tests (failsafe
 * sets {@code candor.install} to the repository root): its output goes to a log file the test reads.
 */
final class Launched {
    private final Process process;
    private final Path log;

    private Launched(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path install() {
        String dir = System.getProperty("candor.install");
        if (dir == null) throw new IllegalStateException("system property candor.install (the repository root) is not set;"
                + " run this test through Maven (failsafe sets it)");
        return Path.of(dir);
    }

    /** Starts {@code candor args...} with {@code env} added to this process's environment. */
    static Launched start(Path log, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(install().resolve("candor").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new Launched(pb.start(), log);
    }

    long pid() {
        return process.pid();
    }

    /** Sends a signal (STOP, CONT) to the launched JVM: {@code ./candor} execs java, so the pid is the JVM's. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Waits (at most 5 minutes) for the process to end; returns its exit code. */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("candor did not finish in 5 minutes; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Waits for {@code condition} while the process lives, at most 5 minutes. */
    void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("candor ended (exit " + process.exitValue() + ") before " + what + ":\n" + output());
            }
            if (System.nanoTime() > deadline) throw new AssertionError("waited 5 minutes for " + what + ":\n" + output());
            Thread.sleep(20);
        }
    }

    void kill() {
        process.destroyForcibly();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + log, e);
        }
    }
}

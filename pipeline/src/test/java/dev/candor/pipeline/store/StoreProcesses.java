package dev.candor.pipeline.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** What the store's concurrency tests share: the content every writer commits, and a way to start a second JVM. */
final class StoreProcesses {
    private StoreProcesses() {
    }

    /** Three files, 600 KB in all: large enough that hashing and moving take a while, so the writers overlap. */
    static void writeContent(Path dir) throws IOException {
        byte[] bytes = new byte[200_000];
        new SplittableRandom(7).nextBytes(bytes);
        for (int i = 0; i < 2; i++) Files.write(dir.resolve("part-" + i + ".bin"), bytes);
        Files.createDirectories(dir.resolve("meta"));
        Files.write(dir.resolve("meta/schema.json"), bytes);
    }

    static String expectedSha() throws IOException {
        Path tmp = Files.createTempDirectory("candor-expected-");
        try {
            writeContent(tmp);
            return ContentHash.ofDirectory(tmp);
        } finally {
            ArtifactStore.deleteTree(tmp);
        }
    }

    /**
     * Starts {@link StoreChild} in a new JVM with this test's class path, passed in {@code CLASSPATH} rather than a
     * long {@code -cp} (a long JVM command line is what crashes ONNX Runtime; see STACK.md).
     */
    static Process start(Path log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, StoreChild.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        return pb.start();
    }

    static String output(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}

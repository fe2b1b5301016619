package dev.candor.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Six real {@code ./candor run} processes at once in one home (the issue-9 reproduction: with H2's AUTO_SERVER, four
 * exited 3 when the process hosting the database exited, three runs were left RUNNING, and pausing the host hung
 * {@code candor runs}). Now the home's registry server is its own process: the first run is paused and then killed
 * outright, and the five others still finish; {@code candor runs} answers while it is paused; afterwards no run is
 * RUNNING, and every file in the home is owner-only.
 */
class SharedHomeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern RUN_LINE = java.util.regex.Pattern.compile("(?m)^run [0-9a-f-]{36}: 3 stages$");

    @TempDir
    Path dir;

    @Test
    void sixConcurrentRunsInOneHomeAllEndConsistently() throws Exception {
        writeData(dir.resolve("data.csv"));
        Path home = dir.resolve("home");
        List<Launched> runs = new ArrayList<>();
        // Three identical pipelines (same stages, same artifacts: they race for the cache and the store) and three
        // with other seeds.
        for (int i = 0; i < 6; i++) {
            Path yaml = dir.resolve("p" + i + ".yaml");
            Files.writeString(yaml, pipeline(i < 3 ? 11 : 20 + i));
            runs.add(Launched.start(dir.resolve("run" + i + ".log"), Map.of(), "run", yaml.toString(), "--home",
                    home.toString(), "--plain"));
            if (i == 0) {
                // The first one starts the registry server and records its run; the others find the server.
                runs.get(0).await(() -> RUN_LINE.matcher(runs.get(0).output()).find(), "the first run to be recorded");
            }
        }
        Launched first = runs.get(0);
        first.signal("STOP");
        long t0 = System.nanoTime();
        Launched listing = Launched.start(dir.resolve("runs.log"), Map.of(), "runs", "--home", home.toString());
        assertThat(listing.exitCode()).as(listing.output()).isZero();
        assertThat((System.nanoTime() - t0) / 1e9).as("candor runs while a run is paused (s)").isLessThan(60);
        first.kill(); // SIGKILL, while paused: the process that started the registry server is gone
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).exitCode()).as("run %d:\n%s", i, runs.get(i).output()).isZero();
        }

        // The killed run's lease expires (2 s here) and the next command ends it FAILED; nothing stays RUNNING.
        Thread.sleep(3_000);
        Launched json = Launched.start(dir.resolve("json.log"), Map.of("CANDOR_LEASE_SECONDS", "2"),
                "runs", "--json", "--home", home.toString());
        assertThat(json.exitCode()).as(json.output()).isZero();
        String out = json.output();
        JsonNode list = JSON.readTree(out.substring(out.indexOf('[')));
        Map<String, Integer> statuses = new HashMap<>();
        list.forEach(r -> statuses.merge(r.get("status").asText(), 1, Integer::sum));
        assertThat(statuses).as(out).isEqualTo(Map.of("SUCCEEDED", 5, "FAILED", 1));

        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertThat(mode).as(home.relativize(p).toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }

    private static String pipeline(int seed) {
        return """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: shared-%d}
                spec:
                  seed: %d
                  stages:
                    - {id: data, type: ingest.csv, with: {path: data.csv, label: outcome}}
                    - {id: lr, type: train.tribuo, inputs: [data], with: {algorithm: logistic-regression, epochs: 5}}
                    - {id: eval, type: evaluate, inputs: [lr], with: {positive_class: "yes", bootstrap: 200}}
                """.formatted(seed, seed);
    }

    /** 400 rows, three numeric features, a label that depends on them. */
    private static void writeData(Path csv) throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder("a,b,c,outcome\n");
        for (int i = 0; i < 400; i++) {
            double a = random.nextDouble(-2, 2);
            double b = random.nextDouble(-2, 2);
            double c = random.nextDouble(-2, 2);
            boolean yes = a + 0.5 * b + random.nextDouble(-1, 1) > 0;
            sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%s%n", a, b, c, yes ? "yes" : "no"));
        }
        Files.writeString(csv, sb.toString());
    }
}

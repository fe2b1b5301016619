package dev.candor.pipeline.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The cases of one fuzz test: how many of each kind ended with each exit code, how often each mutation was used, how
 * long they took, and every case that broke a rule, with its seed and a copy of its input under
 * {@code target/fuzz-failures/} (what a regression test starts from). {@link #finish()} writes the counts to
 * {@code target/fuzz/<test>.txt} and standard output and fails when any case broke a rule.
 */
final class FuzzReport {
    /** The settings' system properties; {@code -Pfuzz} sets them to thousands of cases. */
    static final String SEED = "candor.fuzz.seed";

    private final String test;
    private final long seed;
    private final Map<String, Map<Integer, Integer>> exits = new TreeMap<>();
    private final Map<String, Integer> mutations = new TreeMap<>();
    private final Map<String, Long> millis = new TreeMap<>();
    private final Map<String, Long> slowest = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    /** One line per case: its index, exit code, time, mutations and what it said first. */
    private final StringBuilder log = new StringBuilder();
    private final long t0 = System.nanoTime();

    FuzzReport(String test) {
        this.test = test;
        this.seed = configuredSeed();
    }

    /** The run's seed: {@code -Dcandor.fuzz.seed=N}, {@code random} for a fresh one, 1 by default (a stable build). */
    static long configuredSeed() {
        String s = System.getProperty(SEED, "1");
        if (s.equals("random")) {
            long fresh = new SplittableRandom().nextLong();
            System.setProperty(SEED, Long.toString(fresh));
            return fresh;
        }
        return Long.parseLong(s);
    }

    /** How many cases of a kind to run: {@code -Dcandor.fuzz.<kind>=N}, else {@code normal}. */
    static int cases(String kind, int normal) {
        return Integer.getInteger("candor.fuzz." + kind, normal);
    }

    long seed() {
        return seed;
    }

    /** The random source of case {@code index} of a kind: the same seed and index give the same input. */
    SplittableRandom random(String kind, int index) {
        return new SplittableRandom(seed * 1_000_003L + kind.hashCode() * 31L + index);
    }

    /**
     * Records one case.
     *
     * @param input    the case's input files (name → bytes), saved when it broke a rule
     * @param problems what it broke; empty when nothing
     */
    void add(String kind, int index, List<String> ops, FuzzCli.Outcome o, Map<String, byte[]> input, List<String> problems) {
        exits.computeIfAbsent(kind, k -> new TreeMap<>()).merge(o.code(), 1, Integer::sum);
        for (String op : ops) mutations.merge(op, 1, Integer::sum);
        millis.merge(kind, o.millis(), Long::sum);
        slowest.merge(kind, o.millis(), Math::max);
        String said = FuzzChecks.runFailure(o) != null ? FuzzChecks.runFailure(o) : o.err().isBlank() ? o.out() : o.err();
        log.append(String.format(Locale.ROOT, "%s %d: exit %d, %d ms, %s: %s%n", kind, index, o.code(), o.millis(), ops,
                FuzzChecks.cut(said.strip().lines().findFirst().orElse(""))));
        if (problems.isEmpty()) return;
        Path dir = Path.of("target", "fuzz-failures", test + "-" + kind + "-" + index);
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> f : input.entrySet()) Files.write(dir.resolve(f.getKey()), f.getValue());
            Files.writeString(dir.resolve("output.txt"), "exit " + o.code() + "\n" + o.all());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        violations.add(String.format(Locale.ROOT, "%s case %d (seed %d, mutations %s, input in %s): %s", kind, index, seed,
                ops, dir.toAbsolutePath(), String.join("; ", problems)));
    }

    /** The counts, as printed. */
    String summary() {
        StringBuilder sb = new StringBuilder();
        long total = exits.values().stream().flatMap(m -> m.values().stream()).mapToLong(Integer::longValue).sum();
        sb.append(String.format(Locale.ROOT, "%s: %d cases, seed %d, %.1f s%n", test, total, seed,
                (System.nanoTime() - t0) / 1e9));
        for (Map.Entry<String, Map<Integer, Integer>> e : exits.entrySet()) {
            int n = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
            sb.append(String.format(Locale.ROOT, "  %-14s %5d cases, exit codes %s, mean %d ms, slowest %d ms%n",
                    e.getKey(), n, e.getValue(), millis.get(e.getKey()) / Math.max(1, n), slowest.get(e.getKey())));
        }
        sb.append("  mutations used: ").append(mutations).append('\n');
        sb.append("  cases that broke a rule: ").append(violations.size()).append('\n');
        return sb.toString();
    }

    /** Writes the counts, then fails listing every case that broke a rule. */
    void finish() {
        String summary = summary();
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz"));
            Files.writeString(dir.resolve(test + ".txt"), summary + String.join("\n", violations) + "\n");
            Files.writeString(dir.resolve(test + "-cases.txt"), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print(summary);
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + " fuzzed case(s) broke a rule (rerun with -D" + SEED + "="
                    + seed + "):\n" + String.join("\n", violations.subList(0, Math.min(40, violations.size()))));
        }
    }

    /** Exit codes seen for a kind (for tests that assert the fuzzer reached each outcome). */
    Map<Integer, Integer> exits(String kind) {
        return exits.getOrDefault(kind, Map.of());
    }
}

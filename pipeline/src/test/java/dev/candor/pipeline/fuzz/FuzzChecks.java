package dev.candor.pipeline.fuzz;

import dev.candor.registry.DbConfig;
import dev.candor.registry.RegistryDb;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every fuzzed command must satisfy (issue 9): an exit code that keeps its meaning, no stack trace or raw
 * exception class name, bounded output and time, a message that names its place, and a registry with no run left
 * RUNNING. Each check returns the problems it found, in words, empty when there are none.
 */
final class FuzzChecks {
    /** The most characters a command may print for one bad input. */
    static final int MAX_OUTPUT = 20_000;
    /** What the CLI prints after an exception nothing handled: an internal error, never right for bad input. */
    static final String INTERNAL_ERROR = "set CANDOR_DEBUG=1 for the stack trace";

    /** Data errors about a whole file or split, which have no row or column to name. */
    static final List<String> WHOLE_FILE = List.of("the file is empty", "the file has a header row but no data rows",
            "split has no rows", "split of dataset", "every model input has a single value");

    private record Forbidden(Pattern pattern, String what) { }

    private static final List<Forbidden> FORBIDDEN = List.of(
            new Forbidden(Pattern.compile("(?m)^\\s*at [\\w$.<>/]+\\("), "a stack trace line"),
            new Forbidden(Pattern.compile("(?m)^Caused by: "), "a stack trace's 'Caused by'"),
            new Forbidden(Pattern.compile("\\b(?:java|javax|jdk|sun|org|com|dev|picocli|io|net)\\.[a-z0-9_]+(?:\\.[\\w$]+)*"
                    + "\\.[A-Z][\\w$]*"), "a Java class name"),
            new Forbidden(Pattern.compile("\\b[A-Z][A-Za-z]*(?:Exception|Error)\\b"), "an exception class name"));

    private FuzzChecks() {
    }

    /**
     * The checks every command gets.
     *
     * @param allowed the exit codes this kind of input may end with
     * @param input   the input as text: what the output may echo (a tag naming a Java class, a cell saying "Error")
     */
    static List<String> general(FuzzCli.Outcome o, Set<Integer> allowed, String input, Duration bound) {
        List<String> problems = new ArrayList<>();
        if (o.thrown() != null) {
            problems.add("an exception escaped candor: " + o.thrown());
            return problems;
        }
        if (o.timedOut()) {
            problems.add("still running after " + bound.toSeconds() + " s");
            return problems;
        }
        if (!allowed.contains(o.code())) problems.add("exit code " + o.code() + ", expected one of " + allowed);
        if (o.millis() > bound.toMillis()) problems.add("took " + o.millis() + " ms, more than " + bound.toMillis());
        if (o.outputChars() > MAX_OUTPUT) problems.add("printed " + o.outputChars() + " characters, more than " + MAX_OUTPUT);
        String all = o.all();
        if (all.contains(INTERNAL_ERROR)) problems.add("an internal error reached the user: " + firstLine(all, INTERNAL_ERROR));
        all.codePoints().filter(FuzzChecks::isRawControl).findFirst().ifPresent(cp -> problems.add(String.format(
                java.util.Locale.ROOT, "a raw control character U+%04X in the output (it garbles a terminal or splits a"
                        + " line): %s", cp, lineAt(all, all.indexOf(Character.toString(cp))))));
        for (Forbidden f : FORBIDDEN) {
            Matcher m = f.pattern().matcher(all);
            while (m.find()) {
                if (input.contains(m.group())) continue; // the input's own text, echoed
                problems.add(f.what() + " in the output: '" + m.group() + "' in line: " + lineAt(all, m.start()));
                break;
            }
        }
        return problems;
    }

    /**
     * A pipeline refused before anything ran: every line of stderr is {@code file:line:col: message} at a place
     * inside the file, or the closing count.
     */
    static List<String> yamlPlaces(FuzzCli.Outcome o, Path file, int lines) {
        List<String> problems = new ArrayList<>();
        Pattern place = Pattern.compile("^" + Pattern.quote(file.toString()) + ":(\\d+):(\\d+): \\S.*");
        List<String> errLines = o.err().lines().filter(l -> !l.isBlank()).toList();
        if (errLines.isEmpty()) problems.add("exit 2 with nothing on stderr");
        for (String line : errLines) {
            if (line.matches("\\d+ errors?")) continue;
            Matcher m = place.matcher(line);
            if (!m.matches()) {
                problems.add("an error line without file:line:col: " + cut(line));
                continue;
            }
            long l = Long.parseLong(m.group(1));
            long c = Long.parseLong(m.group(2));
            if (l < 1 || c < 1 || l > lines + 1) problems.add("a place outside the file (" + lines + " lines): " + cut(line));
        }
        if (!errLines.isEmpty() && !errLines.get(errLines.size() - 1).matches("\\d+ errors?")) {
            problems.add("no error count at the end: " + cut(errLines.get(errLines.size() - 1)));
        }
        return problems;
    }

    /** The failure a run printed (between "run … FAILED in …" and the advice to fix it), or null when it printed none. */
    static String runFailure(FuzzCli.Outcome o) {
        Matcher m = Pattern.compile("(?s)\\nrun [0-9a-f-]+ FAILED in [^\\n]*\\n(.*?)\\nfix the cause").matcher(o.out());
        return m.find() ? m.group(1) : null;
    }

    /**
     * A run that failed on its input (exit 2 after it started): it printed the failing stage's message, and for data,
     * the message names the data file and a row or a column.
     *
     * @param dataFile the data file's name when the input at fault is data; null for a configuration
     */
    static List<String> runPlaces(FuzzCli.Outcome o, String dataFile) {
        String failure = runFailure(o);
        if (failure == null) return List.of("a run that failed printed no failure: " + cut(o.out()));
        List<String> problems = new ArrayList<>();
        if (!failure.matches("(?s)stage '[^']+' failed: .+")) problems.add("the failure names no stage: " + cut(failure));
        if (dataFile != null && failure.contains(dataFile + ":")
                && !Pattern.compile("row \\d+|column '").matcher(failure).find()
                && WHOLE_FILE.stream().noneMatch(failure::contains)) {
            problems.add("a data error naming neither row nor column: " + cut(failure));
        }
        return problems;
    }

    /** Runs already reported RUNNING: a case that hung is reported once, not again by every case after it. */
    private static final java.util.Set<String> REPORTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The home's registry after a command: no run RUNNING, and every FAILED run with its cause recorded. */
    static List<String> registry(Path home) {
        List<String> problems = new ArrayList<>();
        if (!Files.exists(home)) return problems;
        try (RegistryDb db = RegistryDb.open(DbConfig.h2(home))) {
            for (RunSummary r : db.registry().listRuns(100_000)) {
                if ("RUNNING".equals(r.status()) && REPORTED.add(r.id())) problems.add("run " + r.id() + " left RUNNING");
                if ("FAILED".equals(r.status())) {
                    RunDetail d = db.registry().getRun(r.id()).orElseThrow();
                    if (d.error() == null || d.error().isBlank()) problems.add("run " + r.id() + " FAILED without its cause");
                }
            }
        }
        return problems;
    }

    /** How many runs the home's registry holds (0 when it has none yet). */
    static int runs(Path home) {
        if (!Files.exists(home)) return 0;
        try (RegistryDb db = RegistryDb.open(DbConfig.h2(home))) {
            return db.registry().listRuns(100_000).size();
        }
    }

    /** A character a message must show escaped: C0 and C1 controls but line feed and tab, DEL, line separators. */
    private static boolean isRawControl(int cp) {
        return cp != '\n' && cp != '\t' && (Character.isISOControl(cp) || cp == '\u2028' || cp == '\u2029');
    }

    private static String firstLine(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst().map(FuzzChecks::cut).orElse("");
    }

    private static String lineAt(String text, int index) {
        int start = text.lastIndexOf('\n', index) + 1;
        int end = text.indexOf('\n', index);
        return cut(text.substring(start, end < 0 ? text.length() : end));
    }

    /** A line for a test report: at most 300 characters, line breaks and control characters escaped. */
    static String cut(String s) {
        StringBuilder one = new StringBuilder();
        s.codePoints().limit(300).forEach(cp -> {
            if (cp == '\n') one.append("\\n");
            else if (isRawControl(cp)) one.append(String.format(java.util.Locale.ROOT, "\\u%04x", cp));
            else one.appendCodePoint(cp);
        });
        return s.codePointCount(0, s.length()) <= 300 ? one.toString() : one + "…";
    }
}

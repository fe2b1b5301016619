package dev.candor.pipeline.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mutations of a pipeline file, as a careless editor, a hostile user or a broken tool makes them: lines deleted,
 * duplicated, swapped or re-indented; values replaced by other types, huge or non-finite numbers, long, unicode or
 * control-character strings, tags, anchors and aliases (billion laughs), deep nesting; keys misspelled or duplicated;
 * unknown stage types, references to missing stages, cycles, garbage gates, paths outside the data roots; and at the
 * byte level invalid UTF-8, NUL, byte-order marks, UTF-16, other line endings and truncation. Each case applies one to
 * three, seeded, and names them.
 */
final class YamlMutator {
    /** A mutated file and the names of the mutations that made it. */
    record Mutated(byte[] bytes, List<String> ops) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private interface TextOp {
        String apply(String text, SplittableRandom r);
    }

    private record Op(String name, TextOp op) { }

    static final List<String> HOSTILE = List.of("1e400", "-1e400", ".nan", ".NaN", "-.inf", ".inf", "1e-400",
            "99999999999999999999999999", "-9223372036854775809", "9223372036854775807", "2147483648", "-1", "0", "-0",
            "0.0", "1.5", "0x7fffffff", "0o17", "1_000", "+.5", "\"\"", "''", "~", "null", "true", "false", "yes", "on",
            "[]", "{}", "[1, 2, 3]", "{a: 1}", "[[[]]]", "- x", "\"unterminated", "'unterminated", "{", "[", "}", "]",
            ":", "- ", "|", ">-", "%YAML 1.1", "@x", "`x`", "? x", "!!java/object:java.lang.Runtime {}",
            "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]",
            "!foo bar", "!!binary aGVsbG8=", "!!python/object/apply:os.system [\"id\"]", "!!str 5", "!!int x",
            "!!float .nan", "!!set {a, b}", "!!omap [a: 1]", "&a x", "*a", "*nowhere", "2024-01-01",
            "2024-01-01T00:00:00Z", "/etc/passwd", "../../../../etc/passwd", "data/../../../etc/shadow",
            "~/.ssh/id_rsa", "file:///etc/passwd", "/dev/zero", "/proc/self/environ", "data/", ".",
            "\\\\server\\share\\x.csv", "C:\\x.csv", "\"\\u0000\"", "\"\\x1b[31mred\"", "\"a\\nb\"", "é", "ç日本語",
            "😀", "\u202Eevil", "e\u0301", "\u00A0", "Ω≈ç√", "<script>alert(1)</script>", "'; DROP TABLE run; --");

    static final List<String> STAGE_TYPES = List.of("ingest.parquet", "ingest.CSV", "ingest.csv ", "", "evaluate",
            "train.tribuo", "train.onnx", "explain.shap", "explain.lime", "explain.importance", "explain.reasons",
            "explain.gradients", "fairness.reweigh", "fairness.thresholds", "audit.membership", "ingest.csv",
            "java.lang.Runtime", "../ingest.csv", "train.tribuo\u0000");

    static final List<String> GATES = List.of("(((", "eval.roc_auc >=", ">= 0.9", "eval.roc_auc >= 1e400",
            "eval.roc_auc >= .nan", "eval.roc_auc >= NaN", "eval.roc_auc >= -1e400", "not ".repeat(100) + "eval.x > 1",
            "(".repeat(40) + "a.b > 1" + ")".repeat(40), "eval.roc_auc >= 0.9 and", "eval.roc_auc >== 0.9",
            "eval.roc_auc >= 0.9 or or", "eval.\u0000 >= 1", "a".repeat(5_000), "eval.roc_auc >= eval.roc_auc",
            "lr.accuracy >= 0.5", "eval.fairness.sex.disparate_impact >= 0.8", "1 >= 0", "eval.roc_auc >= 0x10",
            "eval.roc_auc >= -", "eval.roc_auc ≥ 0.9", "eval..roc >= 1", "data.rows > 0",
            "eval.roc_auc >= 0.9 and not (eval.accuracy < 0.5)", "eval_lr.roc_auc >= 2", "missing.x >= 1");

    static final List<String> PATHS = List.of("/etc/passwd", "../../../../etc/passwd", "data/../../../etc/hosts",
            "data/nope.csv", "data", "data/", "", "/", "/dev/zero", "/dev/stdin", "/proc/self/environ", "~/x.csv",
            "file:///etc/passwd", "data/\u0000.csv", "data/" + "x".repeat(300) + ".csv", "C:\\data\\x.csv",
            "data/*.csv", "/tmp", "../pipeline.yaml");

    static final List<String> CONTROL = List.of("\u0000", "\u0001", "\u0007", "\u0008", "\u001b", "\u007f", "\u0085",
            "\u2028", "\uFEFF", "\uD800", "\t", "\r", "\u000c");

    private static final Pattern KEY_VALUE = Pattern.compile("(\\b[A-Za-z_][\\w.-]*): ([^,{}\\[\\]\\n][^,{}\\]\\n]*)");
    private static final Pattern KEY = Pattern.compile("(?m)(^\\s*-?\\s*|[{,]\\s*)([A-Za-z_][\\w-]*):");
    private static final Pattern STAGE_ID = Pattern.compile("\\bid: ([A-Za-z0-9_-]+)");

    private static final List<Op> TEXT_OPS = List.of(
            new Op("delete-line", (t, r) -> lines(t, r, (ls, i) -> ls.remove(i))),
            new Op("duplicate-line", (t, r) -> lines(t, r, (ls, i) -> ls.add(i, ls.get(i)))),
            new Op("swap-lines", (t, r) -> lines(t, r, (ls, i) -> {
                int j = r.nextInt(ls.size());
                String a = ls.get(i);
                ls.set(i, ls.get(j));
                ls.set(j, a);
            })),
            new Op("indent", (t, r) -> lines(t, r, (ls, i) -> ls.set(i, " ".repeat(1 + r.nextInt(4)) + ls.get(i)))),
            new Op("dedent", (t, r) -> lines(t, r, (ls, i) -> ls.set(i, ls.get(i).replaceFirst("^ {1,2}", "")))),
            new Op("tab-indent", (t, r) -> lines(t, r, (ls, i) -> ls.set(i, ls.get(i).replaceFirst("^ {2}", "\t")))),
            new Op("join-lines", (t, r) -> lines(t, r, (ls, i) -> {
                if (i + 1 < ls.size()) ls.set(i, ls.get(i) + " " + ls.remove(i + 1));
            })),
            new Op("truncate", (t, r) -> t.substring(0, r.nextInt(t.length() + 1))),
            new Op("hostile-value", (t, r) -> replaceValue(t, r, pick(r, HOSTILE))),
            new Op("flip-type", YamlMutator::flipType),
            new Op("long-string", (t, r) -> replaceValue(t, r, "x".repeat(pick(r, List.of(1_000, 100_001, 300_000))))),
            new Op("deep-nesting", (t, r) -> {
                int n = pick(r, List.of(60, 1_000, 20_000));
                return replaceValue(t, r, r.nextBoolean() ? "[".repeat(n) + "]".repeat(n) : "{a: ".repeat(n) + "1" + "}".repeat(n));
            }),
            new Op("control-char", (t, r) -> {
                int at = r.nextInt(t.length() + 1);
                return t.substring(0, at) + pick(r, CONTROL) + t.substring(at);
            }),
            new Op("misspell-key", YamlMutator::misspellKey),
            new Op("unknown-key", (t, r) -> lines(t, r, (ls, i) -> {
                String indent = ls.get(i).replaceFirst("^(\\s*).*", "$1");
                ls.add(i + 1, indent + pick(r, List.of("colour: red", "with: {}", "x-extra: 1", "id: again", "type: evaluate")));
            })),
            new Op("billion-laughs", (t, r) -> {
                StringBuilder sb = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
                for (int i = 1; i < 10; i++) {
                    sb.append("l").append(i).append(": &l").append(i).append(" [")
                            .append(String.join(", ", java.util.Collections.nCopies(9, "*l" + (i - 1)))).append("]\n");
                }
                return r.nextBoolean() ? sb + t : t.replaceFirst("name: ([^,}\\n]+)", "name: *l9") + "\n" + sb;
            }),
            new Op("stage-type", (t, r) -> t.replaceFirst("type: [^,}\\n]+", "type: " + quoteIfNeeded(pick(r, STAGE_TYPES)))),
            new Op("missing-input", (t, r) -> t.replaceFirst("inputs: \\[[^\\]\\n]*\\]",
                    "inputs: " + pick(r, List.of("[nowhere]", "[data, data]", "[]", "data", "[[data]]", "[\"\"]", "[eval, lr]")))),
            new Op("cycle", YamlMutator::cycle),
            new Op("garbage-gate", (t, r) -> {
                String gates = r.nextInt(4) == 0 ? pick(r, List.of("[1, {a: b}, [x]]", "{eval: 1}", "yes", "[~]"))
                        : "[" + quoteIfNeeded(pick(r, GATES)) + "]";
                return t.contains("gates:") ? t.replaceFirst("gates:[^\\n]*", "gates: " + gates) : t + "  gates: " + gates + "\n";
            }),
            new Op("outside-path", (t, r) -> t.replaceFirst("path: [^,}\\n]+", "path: " + quoteIfNeeded(pick(r, PATHS)))),
            new Op("empty-document", (t, r) -> pick(r, List.of("", "\n", "---\n", "---\n...\n---\n", "# only a comment\n",
                    t + "\n---\n" + t, "...\n", "~\n", "[]\n", "\"text\"\n", "%TAG ! tag:x,2000:\n---\n" + t))));

    private interface ByteOp {
        byte[] apply(byte[] bytes, SplittableRandom r);
    }

    private record BinaryOp(String name, ByteOp op) { }

    private static final List<BinaryOp> BYTE_OPS = List.of(
            new BinaryOp("invalid-utf8", (b, r) -> insert(b, r.nextInt(b.length + 1), pick(r, List.of(
                    new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xE9})))),
            new BinaryOp("nul-byte", (b, r) -> insert(b, r.nextInt(b.length + 1), new byte[] {0})),
            new BinaryOp("bom-start", (b, r) -> insert(b, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})),
            new BinaryOp("bom-middle", (b, r) -> insert(b, r.nextInt(b.length + 1), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})),
            new BinaryOp("utf-16", (b, r) -> new String(b, StandardCharsets.UTF_8)
                    .getBytes(r.nextBoolean() ? StandardCharsets.UTF_16 : StandardCharsets.UTF_16LE)),
            new BinaryOp("latin-1", (b, r) -> (new String(b, StandardCharsets.UTF_8) + "# café\n").getBytes(StandardCharsets.ISO_8859_1)),
            new BinaryOp("crlf", (b, r) -> new String(b, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)),
            new BinaryOp("cr-only", (b, r) -> new String(b, StandardCharsets.UTF_8).replace("\n", "\r").getBytes(StandardCharsets.UTF_8)),
            new BinaryOp("cut-bytes", (b, r) -> Arrays.copyOf(b, r.nextInt(b.length + 1))));

    private YamlMutator() {
    }

    /** One to three mutations of {@code seed}, mostly on its text, sometimes on its bytes. */
    static Mutated mutate(String seed, SplittableRandom r) {
        List<String> ops = new ArrayList<>();
        String text = seed;
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            Op op = pick(r, TEXT_OPS);
            text = op.op().apply(text, r);
            ops.add(op.name());
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(6) == 0) {
            BinaryOp op = pick(r, BYTE_OPS);
            bytes = op.op().apply(bytes, r);
            ops.add(op.name());
        }
        return new Mutated(bytes, ops);
    }

    /** Mutations that mostly keep a pipeline valid, so that it runs: one replacement from each list, at its key. */
    static Mutated plausible(String seed, SplittableRandom r, List<Plausible> swaps) {
        List<String> ops = new ArrayList<>();
        String text = seed;
        int n = 1 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            Plausible p = pick(r, swaps);
            String replacement = pick(r, p.replacements());
            String next = text.replaceFirst(p.pattern(), Matcher.quoteReplacement(replacement));
            if (!next.equals(text)) ops.add(p.name());
            text = next;
        }
        if (r.nextInt(4) == 0) {
            Op op = pick(r, TEXT_OPS);
            text = op.op().apply(text, r);
            ops.add(op.name());
        }
        return new Mutated(text.getBytes(StandardCharsets.UTF_8), ops);
    }

    /** A plausible change: the first match of {@code pattern} (a regular expression) becomes one of the replacements. */
    record Plausible(String name, String pattern, List<String> replacements) { }

    static <T> T pick(SplittableRandom r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    private interface LineEdit {
        void edit(List<String> lines, int index);
    }

    private static String lines(String text, SplittableRandom r, LineEdit edit) {
        List<String> ls = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (ls.isEmpty()) return text;
        edit.edit(ls, r.nextInt(ls.size()));
        return String.join("\n", ls);
    }

    /** Replaces the value of a random {@code key: value} pair (block or flow style) with {@code value}. */
    private static String replaceValue(String text, SplittableRandom r, String value) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = KEY_VALUE.matcher(text);
        while (m.find()) spans.add(new int[] {m.start(2), m.end(2)});
        if (spans.isEmpty()) return text + "\nx: " + value + "\n";
        int[] s = pick(r, spans);
        return text.substring(0, s[0]) + value + text.substring(s[1]);
    }

    private static String flipType(String text, SplittableRandom r) {
        List<String[]> found = new ArrayList<>();
        Matcher m = KEY_VALUE.matcher(text);
        while (m.find()) found.add(new String[] {m.group(2).trim()});
        if (found.isEmpty()) return text;
        String v = pick(r, found)[0];
        String flipped = switch (r.nextInt(5)) {
            case 0 -> "[" + v + "]";
            case 1 -> "{" + v + ": " + v + "}";
            case 2 -> "\"" + v.replace("\"", "") + "\"";
            case 3 -> v.matches("-?[0-9.e]+") ? "seven" : "7";
            default -> "\n" + "      - " + v;
        };
        return replaceValue(text, r, flipped);
    }

    private static String misspellKey(String text, SplittableRandom r) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = KEY.matcher(text);
        while (m.find()) spans.add(new int[] {m.start(2), m.end(2)});
        if (spans.isEmpty()) return text;
        int[] s = pick(r, spans);
        String key = text.substring(s[0], s[1]);
        String wrong = switch (r.nextInt(5)) {
            case 0 -> key + key.charAt(key.length() - 1);
            case 1 -> key.toUpperCase(java.util.Locale.ROOT);
            case 2 -> key.length() > 1 ? key.substring(1) : "x";
            case 3 -> key.replace('_', '-') + (key.contains("_") ? "" : "Name");
            default -> key + "\u00e9";
        };
        return text.substring(0, s[0]) + wrong + text.substring(s[1]);
    }

    /** The first stage that has inputs takes the last stage as its input: a cycle whenever the last depends on it. */
    private static String cycle(String text, SplittableRandom r) {
        List<String> ids = new ArrayList<>();
        Matcher m = STAGE_ID.matcher(text);
        while (m.find()) ids.add(m.group(1));
        if (ids.isEmpty()) return text;
        String last = ids.get(ids.size() - 1);
        return text.replaceFirst("inputs: \\[[^\\]\\n]*\\]", "inputs: [" + (r.nextBoolean() ? last : ids.get(0)) + "]");
    }

    private static String quoteIfNeeded(String s) {
        return s.isEmpty() || s.matches(".*[:#\\[\\]{},&*!|>'\"%@`].*") || s.startsWith("-") || s.startsWith(" ")
                || s.endsWith(" ") || s.chars().anyMatch(c -> c < 0x20)
                ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\0") + "\"" : s;
    }

    /** {@code b} with {@code what} inserted at {@code at}. */
    static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }
}

package dev.candor.pipeline.fuzz;

import static dev.candor.pipeline.fuzz.YamlMutator.insert;
import static dev.candor.pipeline.fuzz.YamlMutator.pick;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A CSV as users bring them (an applicant table with an id, numbers, categories, a protected attribute and a yes/no
 * label), and its mutations: cell values (huge, overflowing, non-finite, empty, very long, quotes, unterminated quotes,
 * embedded newlines and delimiters, NUL, control characters), rows with too few or too many fields, blank rows, the
 * header deleted, duplicated or renamed, the label removed, empty or of a single class, one row, a protected column
 * all missing; and at the byte level latin-1, invalid UTF-8, a byte-order mark at the start or in the middle, UTF-16,
 * other line endings and truncation. Each case applies one to three, seeded, and names them.
 */
final class CsvMutator {
    static final List<String> HEADER = List.of("id", "age", "income", "city", "sex", "score", "label");
    static final int LABEL = 6;
    static final int SEX = 4;

    record Mutated(byte[] bytes, List<String> ops) { }

    static final List<String> CELLS = List.of("1e400", "-1e400", "1e-400", "4e38", "-3.5e38", "NaN", "nan", "inf",
            "-Infinity", "NA", "N/A", "null", "", " ", "1,5", "\"", "\"unterminated", "ab\"c", "\"a\"\"b\"", "\"a\nb\"",
            "\"x,y\"", "0x1F", "1_000", "٣", "１２", "-0", "+5", " 5 ", "5 ", "😀", "\u202Eevil", "\u0000", "\u0001",
            "\u001b[31m", "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "../../etc/passwd", "\uFEFF7", "é",
            "9".repeat(400), "-" + "9".repeat(40), "0." + "0".repeat(500) + "1", "1e38", "true", "Exception", "java.lang.Error");

    /** Odd but valid values of a categorical column: quoted delimiters and quotes, unicode, long, empty. */
    static final List<String> CATEGORIES = List.of("São Paulo", "\"Paris, TX\"", "\"Say \"\"hi\"\"\"", "😀", "東京",
            "\u202Eevil", "e\u0301", "x".repeat(500), "null", "NaN", "=1+1", "<b>", "'; DROP TABLE run; --", "\"multi\nline\"");

    private interface RowsOp {
        void apply(List<List<String>> rows, SplittableRandom r);
    }

    private record Op(String name, RowsOp op) { }

    private static final List<Op> ROW_OPS = List.of(
            new Op("category-cell", (rows, r) -> {
                for (int k = 0; k < 1 + r.nextInt(3); k++) setCell(rows, r, 3, pick(r, CATEGORIES));
            }),
            new Op("id-cell", (rows, r) -> setCell(rows, r, 0, pick(r, CATEGORIES))),
            new Op("numbers-spelled", (rows, r) -> setCell(rows, r, 2, pick(r, List.of(
                    "1e3", "-0", "+5", "0.0000001", "3.4e38", "-3.4e38", ".5", "5.", "1E-7", "00012")))),
            new Op("cell", (rows, r) -> cell(rows, r).set(0, pick(r, CELLS))),
            new Op("long-cell", (rows, r) -> cell(rows, r).set(0, pick(r, List.of("7", "x", "\"")).repeat(
                    pick(r, List.of(10_000, 100_000, 1_500_000))))),
            new Op("column-values", (rows, r) -> {
                int col = r.nextInt(HEADER.size());
                String v = pick(r, List.of("", "NaN", "1e400", "0", "x", "same", " "));
                for (int i = 1; i < rows.size(); i++) if (col < rows.get(i).size() && r.nextInt(3) > 0) rows.get(i).set(col, v);
            }),
            new Op("short-row", (rows, r) -> {
                List<String> row = row(rows, r);
                if (!row.isEmpty()) row.remove(row.size() - 1);
            }),
            new Op("long-row", (rows, r) -> row(rows, r).add(pick(r, List.of("extra", "", "1")))),
            new Op("blank-row", (rows, r) -> rows.add(1 + r.nextInt(rows.size()), new ArrayList<>(List.of(pick(r, List.of("", " ", "\t")))))),
            new Op("duplicate-rows", (rows, r) -> {
                List<String> row = rows.get(1 + r.nextInt(rows.size() - 1));
                for (int i = 0; i < 1 + r.nextInt(200); i++) rows.add(new ArrayList<>(row));
            }),
            new Op("few-rows", (rows, r) -> {
                int keep = pick(r, List.of(0, 1, 2, 3, 5));
                while (rows.size() > keep + 1) rows.remove(rows.size() - 1);
            }),
            new Op("header-deleted", (rows, r) -> rows.remove(0)),
            new Op("header-duplicate", (rows, r) -> setHeader(rows, r, pick(r, HEADER))),
            new Op("header-renamed", (rows, r) -> setHeader(rows, r,
                    pick(r, List.of("", " ", "label ", "Label", "x".repeat(5_000), "ünïcode", "a,b", "\"q\"", "\u0000")))),
            new Op("label-removed", (rows, r) -> rows.forEach(row -> {
                if (row.size() > LABEL) row.remove(LABEL);
            })),
            new Op("label-empty", (rows, r) -> setColumn(rows, LABEL, i -> "")),
            new Op("single-class", (rows, r) -> setColumn(rows, LABEL, i -> "yes")),
            new Op("unique-labels", (rows, r) -> setColumn(rows, LABEL, i -> "c" + i)),
            new Op("rare-class", (rows, r) -> setCell(rows, r, LABEL, "maybe")),
            new Op("long-class", (rows, r) -> {
                String suffix = "x".repeat(pick(r, List.of(100, 147, 148, 500)));
                for (List<String> row : rows.subList(1, rows.size())) {
                    if (row.size() > LABEL && row.get(LABEL).equals("yes")) row.set(LABEL, "yes" + suffix);
                }
            }),
            new Op("long-group", (rows, r) -> {
                String suffix = "x".repeat(pick(r, List.of(20, 58, 59, 300)));
                for (List<String> row : rows.subList(1, rows.size())) {
                    if (row.size() > SEX && row.get(SEX).equals("female")) row.set(SEX, "female" + suffix);
                }
            }),
            new Op("protected-missing", (rows, r) -> setColumn(rows, SEX, i -> "")),
            new Op("protected-constant", (rows, r) -> setColumn(rows, SEX, i -> "female")),
            new Op("semicolons", (rows, r) -> {
                List<String> row = row(rows, r);
                String joined = String.join(";", row);
                row.clear();
                row.add(joined);
            }),
            new Op("shuffle-columns", (rows, r) -> {
                List<String> header = rows.get(0);
                Collections.shuffle(header, new java.util.Random(r.nextLong()));
            }));

    private interface ByteOp {
        byte[] apply(byte[] bytes, SplittableRandom r);
    }

    private record BinaryOp(String name, ByteOp op) { }

    private static final List<BinaryOp> BYTE_OPS = List.of(
            new BinaryOp("latin-1", (b, r) -> new String(b, StandardCharsets.UTF_8).replaceFirst(",Lyon,", ",Genève,")
                    .getBytes(StandardCharsets.ISO_8859_1)),
            new BinaryOp("invalid-utf8", (b, r) -> insert(b, r.nextInt(b.length + 1), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF})),
            new BinaryOp("nul-bytes", (b, r) -> insert(b, r.nextInt(b.length + 1), new byte[] {0, 0})),
            new BinaryOp("bom-start", (b, r) -> insert(b, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})),
            new BinaryOp("bom-middle", (b, r) -> insert(b, r.nextInt(b.length + 1), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})),
            new BinaryOp("utf-16", (b, r) -> new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16)),
            new BinaryOp("crlf", (b, r) -> new String(b, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)),
            new BinaryOp("cr-only", (b, r) -> new String(b, StandardCharsets.UTF_8).replace("\n", "\r").getBytes(StandardCharsets.UTF_8)),
            new BinaryOp("truncated", (b, r) -> Arrays.copyOf(b, r.nextInt(b.length + 1))),
            new BinaryOp("empty-file", (b, r) -> new byte[0]),
            new BinaryOp("tabs", (b, r) -> new String(b, StandardCharsets.UTF_8).replace(",", "\t").getBytes(StandardCharsets.UTF_8)));

    private CsvMutator() {
    }

    /** The base table: {@code rows} applicants; the label follows the score, so a model learns it. */
    static List<List<String>> base(int rows) {
        SplittableRandom r = new SplittableRandom(42);
        List<String> cities = List.of("Lyon", "Porto", "Graz", "Turku");
        List<List<String>> table = new ArrayList<>();
        table.add(new ArrayList<>(HEADER));
        for (int i = 0; i < rows; i++) {
            double score = r.nextDouble();
            boolean yes = score + 0.3 * (r.nextDouble() - 0.5) > 0.5;
            table.add(new ArrayList<>(List.of("A" + (1000 + i), Integer.toString(18 + r.nextInt(60)),
                    String.format(Locale.ROOT, "%.2f", 20_000 + 60_000 * r.nextDouble()), cities.get(r.nextInt(cities.size())),
                    r.nextBoolean() ? "female" : "male", String.format(Locale.ROOT, "%.3f", score), yes ? "yes" : "no")));
        }
        return table;
    }

    /** The table as a file: commas, fields quoted only where they must be (a cell mutation may bring its own quotes). */
    static byte[] write(List<List<String>> table) {
        StringBuilder sb = new StringBuilder();
        for (List<String> row : table) sb.append(String.join(",", row)).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Mutations a valid file survives, mostly: odd values where they are allowed, missing values, duplicates, other
     * line endings. They let a case reach the stages after ingestion, which the other mutations rarely do.
     */
    static final java.util.Set<String> GENTLE = java.util.Set.of("category-cell", "id-cell", "numbers-spelled",
            "duplicate-rows", "protected-constant", "column-values", "blank-row", "crlf", "bom-start");

    /**
     * One to three mutations of the base table, sometimes followed by one on the file's bytes.
     *
     * @param gentle whether to draw only from {@link #GENTLE}, one or two of them
     */
    static Mutated mutate(int rows, SplittableRandom r, boolean gentle) {
        List<List<String>> table = base(rows);
        List<String> ops = new ArrayList<>();
        List<Op> from = gentle ? ROW_OPS.stream().filter(o -> GENTLE.contains(o.name())).toList() : ROW_OPS;
        int n = gentle ? 1 + r.nextInt(2) : 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            Op op = pick(r, from);
            if (table.size() < 2 && !op.name().startsWith("header")) continue;
            if (table.isEmpty()) continue;
            op.op().apply(table, r);
            ops.add(op.name());
        }
        byte[] bytes = write(table);
        if (ops.isEmpty() || r.nextInt(4) == 0) {
            List<BinaryOp> bytesFrom = gentle ? BYTE_OPS.stream().filter(o -> GENTLE.contains(o.name())).toList() : BYTE_OPS;
            BinaryOp op = pick(r, bytesFrom);
            bytes = op.op().apply(bytes, r);
            ops.add(op.name());
        }
        return new Mutated(bytes, ops);
    }

    private static List<String> row(List<List<String>> rows, SplittableRandom r) {
        return rows.get(r.nextInt(rows.size()));
    }

    /** A one-element view of a random cell of a data row, to set. */
    private static List<String> cell(List<List<String>> rows, SplittableRandom r) {
        List<String> row = rows.get(rows.size() > 1 ? 1 + r.nextInt(rows.size() - 1) : 0);
        if (row.isEmpty()) row.add("");
        int col = r.nextInt(row.size());
        return row.subList(col, col + 1);
    }

    /** Renames a random column of the first row (which an earlier mutation may have shortened). */
    private static void setHeader(List<List<String>> rows, SplittableRandom r, String name) {
        List<String> header = rows.get(0);
        if (!header.isEmpty()) header.set(r.nextInt(header.size()), name);
    }

    /** Sets column {@code col} of a random data row that has it. */
    private static void setCell(List<List<String>> rows, SplittableRandom r, int col, String value) {
        List<String> row = rows.get(1 + r.nextInt(rows.size() - 1));
        if (col < row.size()) row.set(col, value);
    }

    private static void setColumn(List<List<String>> rows, int col, java.util.function.IntFunction<String> value) {
        for (int i = 1; i < rows.size(); i++) if (col < rows.get(i).size()) rows.get(i).set(col, value.apply(i));
    }
}

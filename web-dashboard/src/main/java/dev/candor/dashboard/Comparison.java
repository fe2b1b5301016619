package dev.candor.dashboard;

import dev.candor.registry.GateResultView;
import dev.candor.registry.RunDetail;
import java.util.ArrayList;
import java.util.List;

/**
 * Two to four runs side by side, the first being the baseline: did the later runs get better or worse in accuracy,
 * fairness, privacy and interpretability, and did their gates still pass? Every numeric cell after the baseline says its
 * difference with its sign, whether that is better or worse in words (see {@link Goal}) and whether the bootstrap
 * intervals overlap ("within noise") or not ("changed"). A run that lacks a result reads "not recorded". A pure
 * function of what the registry holds; the page and {@code /api/compare} serve the same record.
 *
 * @param runs     one column per run, the baseline first
 * @param sections the rows, grouped: one section per evaluating stage, then fairness, privacy, explanations and gates;
 *                 a section with no rows is left out
 */
public record Comparison(List<Column> runs, List<Section> sections) {
    /** How many runs can be compared at once: more columns do not fit a page a reviewer can read. */
    public static final int MIN_RUNS = 2;
    public static final int MAX_RUNS = 4;

    public Comparison {
        runs = List.copyOf(runs);
        sections = List.copyOf(sections);
    }

    /** Columns of the table: the row labels, then one per run. */
    public int span() {
        return runs.size() + 1;
    }

    /**
     * One run.
     *
     * @param id          its id
     * @param shortId     the first 8 characters, as the run list shows
     * @param pipeline    its pipeline's name
     * @param started     when it started, in UTC
     * @param status      SUCCEEDED, FAILED, FAILED_GATES or RUNNING
     * @param failedGates the expressions of the gates it failed, in pipeline order
     * @param baseline    whether the others are compared with it
     */
    public record Column(String id, String shortId, String pipeline, String started, String status, List<String> failedGates,
                         boolean baseline) {
        public Column {
            failedGates = List.copyOf(failedGates);
        }

        /** The status in words ("failed gates"). */
        public String statusWords() {
            return TemplateExtensions.words(status);
        }
    }

    /** A group of rows under one heading; {@code id} is stable, for links and tests. */
    public record Section(String id, String title, String note, List<Row> rows) {
        public Section {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One compared result.
     *
     * @param key   stable, for tests and links: {@code <stage>/<metric>}, {@code gate/<n>}, …
     * @param label what it is, for the reader
     * @param goal  which way is better, in words; blank for rows that are not numbers
     * @param cells one per run, in column order
     */
    public record Row(String key, String label, String goal, List<Cell> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }

    /**
     * One run's value of a row. For numbers: {@code value} and its interval; against the baseline, {@code delta}
     * (value − baseline), {@code verdict} ("better", "worse", "no change") and {@code noise} ("within noise" when the
     * intervals overlap, "changed" when they do not, "no interval"). Rows that are not numbers (rankings, gate verdicts)
     * leave the numbers null and put their words in {@code text} and {@code verdict}.
     *
     * @param recorded whether the run has this result ({@code text} is "not recorded" when not)
     * @param value    the number, or null
     * @param ciLow    its interval's lower bound, or null
     * @param ciHigh   its interval's upper bound, or null
     * @param text     the value as shown ("0.9123", "PASS", "not recorded")
     * @param items    for a ranking: its entries in order ("f3 0.2100"); empty otherwise
     * @param interval "[low, high]", or blank
     * @param delta    value − baseline, or null (the baseline column, or either value missing)
     * @param change   the whole comparison in words: "+0.0123, better, within noise"; "baseline" in the first column;
     *                 blank when there is nothing to compare
     * @param verdict  "better", "worse", "no change", for rankings "same ranking" or "ranking changed"; blank otherwise
     * @param noise    "within noise", "changed", "no interval", or blank
     */
    public record Cell(boolean recorded, Double value, Double ciLow, Double ciHigh, String text, List<String> items,
                       String interval, Double delta, String change, String verdict, String noise) {
        public Cell {
            items = List.copyOf(items);
        }

        static final String NOT_RECORDED = "not recorded";

        static Cell missing(boolean baseline) {
            return new Cell(false, null, null, null, NOT_RECORDED, List.of(), "", null, baseline ? "baseline" : "", "", "");
        }

        /** Whether this is the baseline's cell (its column header says so; the page does not repeat it per cell). */
        public boolean baseline() {
            return "baseline".equals(change);
        }

        /** Whether the cell holds a number (not a ranking, a verdict or "not recorded"). */
        public boolean numeric() {
            return value != null;
        }

        /** The CSS class of the verdict: it repeats the words in colour, never replaces them. */
        public String tone() {
            return switch (verdict) {
                case "better" -> "better";
                case "worse", "ranking changed" -> "worse";
                default -> "";
            };
        }
    }

    /** Compares {@code runs}, the first being the baseline. */
    public static Comparison of(List<RunDetail> runs) {
        if (runs.size() < MIN_RUNS || runs.size() > MAX_RUNS) {
            throw new IllegalArgumentException("compare needs " + MIN_RUNS + " to " + MAX_RUNS + " runs, got " + runs.size());
        }
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunDetail r = runs.get(i);
            columns.add(new Column(r.summary().id(), TemplateExtensions.shortId(r.summary().id()), r.summary().pipelineName(),
                    TemplateExtensions.utc(r.summary().startedAt()), r.summary().status(),
                    r.gates().stream().filter(g -> !g.passed()).map(GateResultView::expression).toList(), i == 0));
        }
        List<Section> sections = CompareSections.of(runs).stream().filter(s -> !s.rows().isEmpty()).toList();
        return new Comparison(columns, sections);
    }
}

package dev.candor.pipeline.cli;

import dev.candor.pipeline.exec.RunListener;
import dev.candor.pipeline.exec.StageOutcome;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a run as it goes. On a terminal: one live line per running stage (elapsed time, rows or epochs done),
 * redrawn a few times a second, and a final line per finished stage. Otherwise: plain lines, one when a stage
 * starts and one when it ends, so logs and CI output stay readable.
 */
final class ProgressPrinter implements RunListener, AutoCloseable {
    private record Live(String type, long startNanos, String unit, long done, long total) { }

    private final PrintStream out;
    private final boolean live;
    /** Column format for the stage id and type, as wide as the pipeline's longest ones. */
    private final String columns;
    private final Map<String, Live> running = new LinkedHashMap<>();
    private final ScheduledExecutorService ticker;
    private int drawnLines;

    /**
     * @param idWidth   the longest stage id of the pipeline, so the columns line up
     * @param typeWidth the longest stage type
     */
    ProgressPrinter(PrintStream out, boolean live, int idWidth, int typeWidth) {
        this.out = out;
        this.live = live;
        this.columns = columns(idWidth, typeWidth);
        if (live) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "candor-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::redraw, 250, 250, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    @Override
    public synchronized void runStarted(String runId, int stages) {
        out.printf("run %s: %d stages%n", runId, stages);
    }

    @Override
    public synchronized void stageStarted(String stageId, String type) {
        running.put(stageId, new Live(type, System.nanoTime(), null, 0, -1));
        if (!live) out.printf("  " + columns + " started%n", stageId, type);
    }

    @Override
    public synchronized void stageProgress(String stageId, String unit, long done, long total) {
        Live l = running.get(stageId);
        if (l != null) running.put(stageId, new Live(l.type(), l.startNanos(), unit, done, total));
    }

    @Override
    public synchronized void stageFinished(StageOutcome o) {
        running.remove(o.stageId());
        clear();
        out.println(finishedLine(o, columns));
        drawLive();
    }

    /** {@code %-Ns %-Ms} for the stage id and type columns, at least as wide as their headings. */
    static String columns(int idWidth, int typeWidth) {
        return "%-" + Math.max(idWidth, 5) + "s %-" + Math.max(typeWidth, 4) + "s";
    }

    static String finishedLine(StageOutcome o, String columns) {
        String status = switch (o.status()) {
            case SUCCEEDED -> o.cached() ? "cached" : "ran";
            case FAILED -> "FAILED";
            case SKIPPED -> "skipped";
        };
        String detail = switch (o.status()) {
            case SUCCEEDED -> o.reason() + (o.summary().isEmpty() ? "" : " — " + o.summary());
            case FAILED -> o.error() == null ? null : Messages.shown(o.error());
            case SKIPPED -> o.reason();
        };
        String line = String.format(Locale.ROOT, "  " + columns + " %-7s %7s  ", o.stageId(), o.type(), status,
                seconds(o.durationMs()));
        // A data error may list several problems, one per line: keep them under the first one.
        return line + (detail == null ? "" : detail.replace("\n", "\n" + " ".repeat(line.length())));
    }

    private synchronized void redraw() {
        clear();
        drawLive();
    }

    private void drawLive() {
        if (!live) return;
        for (Map.Entry<String, Live> e : running.entrySet()) {
            Live l = e.getValue();
            String count = l.unit() == null ? "" : l.done() + (l.total() > 0 ? "/" + l.total() : "") + " " + l.unit();
            out.printf("  " + columns + " running %7s  %s%n", e.getKey(), l.type(),
                    seconds((System.nanoTime() - l.startNanos()) / 1_000_000), count);
        }
        drawnLines = running.size();
        out.flush();
    }

    private void clear() {
        if (!live) return;
        for (int i = 0; i < drawnLines; i++) out.print("\033[1A\033[2K");
        drawnLines = 0;
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
        synchronized (this) {
            clear();
        }
    }
}

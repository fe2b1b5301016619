package dev.candor.pipeline.fuzz;

import dev.candor.pipeline.cli.CandorCli;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real {@code candor} command line, in this process ({@link CandorCli#execute(PrintWriter, PrintWriter,
 * String...)}): what a user would see on stdout and stderr (picocli's writers, {@code System.out}, where a run prints,
 * and {@code System.err}, where the log goes), its exit code and how long it took. A command that outlives its limit
 * is left behind on a daemon thread and reported as timed out, so a hang fails a test instead of hanging the build.
 */
final class FuzzCli {
    /** The most characters of each stream kept; what comes after is counted, not kept (a runaway must not exhaust memory). */
    static final int KEEP = 200_000;

    /**
     * @param code     the exit code, or -1 when the command timed out or threw
     * @param thrown   what escaped {@code execute} (it must not: the CLI turns every failure into an exit code), or null
     * @param timedOut whether the command was still running at its limit
     */
    record Outcome(int code, String out, String err, long millis, long outputChars, Throwable thrown, boolean timedOut) {
        /** Everything the user saw, stdout then stderr. */
        String all() {
            return out + err;
        }
    }

    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-cli");
        t.setDaemon(true);
        return t;
    });

    /** The CLI's logging setup, which {@code CandorCli.main} runs first (Tribuo's progress lines at WARNING, not INFO). */
    private static final java.lang.reflect.Method CONFIGURE_LOGGING;

    static {
        try {
            CONFIGURE_LOGGING = Class.forName("dev.candor.pipeline.cli.Logging").getDeclaredMethod("configure");
            CONFIGURE_LOGGING.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the CLI's logging setup is not where the fuzzer expects it", e);
        }
    }

    private FuzzCli() {
    }

    /** Runs one command line; commands never overlap (they share {@code System.out} and {@code System.err}). */
    static synchronized Outcome run(Duration limit, String... args) {
        Capture out = new Capture();
        Capture err = new Capture();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream sysOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream sysErr = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintWriter picoOut = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter picoErr = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        System.setOut(sysOut);
        System.setErr(sysErr);
        try {
            // As main does, now that System.err is this command's: its console handler writes there.
            CONFIGURE_LOGGING.invoke(null);
        } catch (ReflectiveOperationException e) {
            System.setOut(oldOut);
            System.setErr(oldErr);
            throw new IllegalStateException(e);
        }
        long t0 = System.nanoTime();
        int code = -1;
        Throwable thrown = null;
        boolean timedOut = false;
        Future<Integer> f = THREADS.submit(() -> CandorCli.execute(picoOut, picoErr, args));
        try {
            code = f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
            f.cancel(true);
        } catch (ExecutionException e) {
            thrown = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thrown = e;
        } finally {
            picoOut.flush();
            picoErr.flush();
            sysOut.flush();
            sysErr.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return new Outcome(code, out.text(), err.text(), millis, out.total + err.total, thrown, timedOut);
    }

    /** An output stream that keeps its first {@link #KEEP} bytes and counts the rest. */
    private static final class Capture extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long total;

        @Override
        public synchronized void write(int b) {
            total++;
            if (kept.size() < KEEP) kept.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            total += len;
            int room = KEEP - kept.size();
            if (room > 0) kept.write(b, off, Math.min(room, len));
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}

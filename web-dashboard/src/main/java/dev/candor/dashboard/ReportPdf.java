package dev.candor.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The audit report as a PDF, printed by a headless Chromium on this machine from the report page's HTML (rendered by
 * the dashboard itself and handed to Chromium as a file: the PDF is always of the HTML whose hash keys the cache).
 * A browser is heavy (a core and hundreds of MB; issue 9 found one started per request, without a limit), so:
 * <ul>
 *   <li>at most {@link PdfSettings#maxBrowsers()} run at once; a request that finds them all busy waits up to
 *       {@link PdfSettings#queueWait()}, then is answered 503 with {@code Retry-After};</li>
 *   <li>each report is printed once: the PDF is cached in memory by the sha256 of its HTML (bounded by
 *       {@link PdfSettings#cacheBytes()}, least recently used first out), and requests for a report that is being
 *       printed wait for that print rather than starting another browser;</li>
 *   <li>a print that takes longer than {@link PdfSettings#renderTimeout()} is killed, Chromium's whole process tree.</li>
 * </ul>
 */
final class ReportPdf {
    private static final Logger LOG = Logger.getLogger(ReportPdf.class);

    private final PdfSettings settings;
    private final Semaphore browsers;
    private final Map<String, CompletableFuture<byte[]>> printing = new ConcurrentHashMap<>();
    private final PdfCache cache;
    private final AtomicInteger started = new AtomicInteger();

    ReportPdf(PdfSettings settings) {
        this.settings = settings;
        this.browsers = new Semaphore(settings.maxBrowsers(), true);
        this.cache = new PdfCache(settings.cacheBytes());
    }

    /** Why no PDF came back, with the HTTP status the dashboard answers. */
    static final class PdfException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final long retryAfterSeconds;

        PdfException(int status, String message, long retryAfterSeconds) {
            super(message);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        int status() {
            return status;
        }

        /** For a 503: when to ask again; 0 otherwise. */
        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * The PDF of {@code html}: from the cache, from a print of the same HTML already under way, or printed now.
     *
     * @param what names the report in messages ("run 1234abcd")
     * @throws PdfException 501 without a Chromium, 503 when every browser stayed busy, 504 when the print timed out,
     *                      500 when Chromium failed
     */
    byte[] pdf(String html, String what) throws PdfException, InterruptedException {
        String key = sha256(html);
        byte[] cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> other = printing.putIfAbsent(key, mine);
        if (other != null) {
            return await(other, what);
        }
        try {
            // A print that finished between our cache check and our claim has left its PDF in the cache.
            byte[] done = cache.get(key);
            byte[] pdf = done != null ? done : printQueued(html, what);
            cache.put(key, pdf);
            mine.complete(pdf);
            return pdf;
        } catch (PdfException | RuntimeException | InterruptedException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            printing.remove(key, mine);
        }
    }

    /** How many browsers this printer has started: what the tests count. */
    int browsersStarted() {
        return started.get();
    }

    private byte[] printQueued(String html, String what) throws PdfException, InterruptedException {
        Path chromium = settings.chromium().orElseThrow(() -> new PdfException(501, "No Chromium on the dashboard's"
                + " machine to print the PDF with: install one (Debian: apt-get install chromium) or set CANDOR_CHROMIUM"
                + " to its path; or open the HTML report and print it to PDF from your browser.", 0));
        if (!browsers.tryAcquire(settings.queueWait().toMillis(), TimeUnit.MILLISECONDS)) {
            throw busy();
        }
        try {
            return print(chromium, html, what);
        } finally {
            browsers.release();
        }
    }

    private PdfException busy() {
        return new PdfException(503, "All " + settings.maxBrowsers() + " PDF printers stayed busy for "
                + settings.queueWait().toSeconds() + " s; try again shortly (the HTML report is available now).",
                Math.max(1, settings.queueWait().toSeconds()));
    }

    private byte[] await(CompletableFuture<byte[]> print, String what) throws PdfException, InterruptedException {
        try {
            return print.get(settings.queueWait().plus(settings.renderTimeout()).toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw busy();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PdfException p) {
                throw new PdfException(p.status(), p.getMessage(), p.retryAfterSeconds());
            }
            throw new PdfException(500, "printing " + what + " failed: see the dashboard's log", 0);
        }
    }

    private byte[] print(Path chromium, String html, String what) throws PdfException, InterruptedException {
        Path dir = null;
        try {
            // Owner-only (createTempDirectory's default on POSIX): the report holds the run's evidence.
            dir = Files.createTempDirectory("candor-report-");
            Path page = Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);
            Path pdf = dir.resolve("report.pdf");
            Path log = dir.resolve("chromium.log");
            List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--disable-gpu",
                    "--no-pdf-header-footer", "--user-data-dir=" + dir.resolve("profile"), "--print-to-pdf=" + pdf));
            if (RunningUser.isRoot()) {
                // Chromium's sandbox cannot start as root (it refuses to run at all): only then is it switched off.
                // As any other user the sandbox stays on, as it should for a browser that renders data.
                command.add("--no-sandbox");
            }
            command.add(page.toUri().toString());
            started.incrementAndGet();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(settings.renderTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(p);
                throw new PdfException(504, "Chromium did not print " + what + " within "
                        + settings.renderTimeout().toSeconds() + " s; it was stopped", 0);
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(pdf) || Files.size(pdf) == 0) {
                String output = Files.readString(log, StandardCharsets.UTF_8);
                LOG.warnf("chromium could not print %s (exit %d): %s", LogSafe.of(what), p.exitValue(), LogSafe.of(tail(output, 800)));
                throw new PdfException(500, "Chromium could not print " + what + " (exit " + p.exitValue() + "): "
                        + tail(output, 800), 0);
            }
            return Files.readAllBytes(pdf);
        } catch (IOException e) {
            LOG.warnf("printing %s failed: %s", LogSafe.of(what), LogSafe.of(e.toString()));
            throw new PdfException(500, "printing " + what + " failed: see the dashboard's log", 0);
        } finally {
            delete(dir);
        }
    }

    /** Chromium starts a dozen processes: stop them all, children first, then wait until they are gone. */
    private static void killTree(Process p) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warnf("chromium process %d did not stop within 5 s of SIGKILL", h.pid());
            }
        }
    }

    private static void delete(Path dir) {
        if (dir == null) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", dir, LogSafe.of(e.toString()));
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max);
    }

    /**
     * Where to find Chromium and how much of the machine PDF printing may take.
     *
     * @param chromium      the browser; empty when there is none (a 501 that says how to get one)
     * @param maxBrowsers   browsers at once, 1 to 4
     * @param queueWait     how long a request waits for a free browser before its 503
     * @param renderTimeout how long one print may take before its process tree is killed
     * @param cacheBytes    the most PDF bytes kept in memory
     */
    record PdfSettings(Optional<Path> chromium, int maxBrowsers, Duration queueWait, Duration renderTimeout, long cacheBytes) {
        PdfSettings {
            if (maxBrowsers < 1 || maxBrowsers > 4) {
                throw new IllegalArgumentException("candor.pdf.max-browsers is " + maxBrowsers + "; expected 1 to 4"
                        + " (each headless Chromium takes a core and hundreds of MB)");
            }
            if (queueWait.isNegative() || renderTimeout.isNegative() || renderTimeout.isZero() || cacheBytes < 0) {
                throw new IllegalArgumentException("candor.pdf: queue-wait must be 0 or more, render-timeout more than 0"
                        + " and cache-bytes 0 or more; got " + queueWait + ", " + renderTimeout + ", " + cacheBytes);
            }
        }

        /** {@code configured} (the path {@code CANDOR_CHROMIUM} gives), or the first Chromium on the PATH. */
        static Optional<Path> findChromium(Optional<String> configured) {
            if (configured.isPresent() && !configured.get().isBlank()) return Optional.of(Path.of(configured.get()));
            String path = System.getenv("PATH");
            if (path == null) return Optional.empty();
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                for (String dir : path.split(java.io.File.pathSeparator)) {
                    Path candidate = Path.of(dir, name);
                    if (Files.isExecutable(candidate)) return Optional.of(candidate);
                }
            }
            return Optional.empty();
        }
    }
}

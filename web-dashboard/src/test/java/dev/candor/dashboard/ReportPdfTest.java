package dev.candor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PDF printer's bounds (issue 9, item 8): never more browsers than allowed, each report printed once, a 503 with
 * Retry-After when the browsers stay busy, and a print that hangs killed with its whole process tree. The first test
 * prints with the machine's real Chromium through a wrapper script that counts the browsers running at once; the
 * others need a browser that is slow or hangs on purpose, so a shell script stands in for it.
 */
class ReportPdfTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void concurrentRequestsNeverRunMoreBrowsersThanAllowedAndEachReportIsPrintedOnce() throws Exception {
        Path running = Files.createDirectories(dir.resolve("running"));
        // Each browser leaves a marker while it runs and records how many markers it saw on starting.
        Path wrapper = script("counting-chromium", """
                #!/bin/bash
                mkdir "%1$s/$$"
                ls "%1$s" | wc -l >> "%2$s"
                printf '%%s\\n' "$*" >> "%3$s"
                sleep 0.5
                "%4$s" "$@"
                rc=$?
                rmdir "%1$s/$$"
                exit $rc
                """.formatted(running, dir.resolve("concurrency"), dir.resolve("args"), CHROMIUM));
        ReportPdf printer = new ReportPdf(new ReportPdf.PdfSettings(Optional.of(wrapper), 2, Duration.ofMinutes(3),
                Duration.ofMinutes(2), 64L << 20));
        List<Callable<byte[]>> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String html = "<!DOCTYPE html><html><body><h1>report " + (i % 3) + "</h1></body></html>";
            requests.add(() -> printer.pdf(html, "report " + html.length()));
        }
        List<byte[]> pdfs = atOnce(requests);

        assertThat(pdfs).allSatisfy(pdf -> assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-"));
        assertThat(printer.browsersStarted()).as("three different reports, each printed once").isEqualTo(3);
        List<Integer> seen = Files.readAllLines(dir.resolve("concurrency")).stream().map(s -> Integer.parseInt(s.strip())).toList();
        assertThat(seen).hasSize(3);
        assertThat(seen).as("browsers running when each one started").allSatisfy(n -> assertThat(n).isBetween(1, 2));

        byte[] again = printer.pdf("<!DOCTYPE html><html><body><h1>report 2</h1></body></html>", "report");
        assertThat(printer.browsersStarted()).as("a cached report starts no browser").isEqualTo(3);
        assertThat(again).isEqualTo(pdfs.get(2)).isEqualTo(pdfs.get(5));

        List<String> args = Files.readAllLines(dir.resolve("args"));
        assertThat(args).hasSize(3).allSatisfy(a -> assertThat(a.contains("--no-sandbox"))
                .as("--no-sandbox only as root: " + a).isEqualTo(RunningUser.isRoot()));
    }

    @Test
    void aRequestThatFindsEveryBrowserBusyGets503WithRetryAfter() throws Exception {
        Path slow = script("slow-browser", """
                #!/bin/bash
                for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done
                sleep 3
                printf '%%PDF-1.4 stand-in' > "$out"
                """);
        ReportPdf printer = new ReportPdf(new ReportPdf.PdfSettings(Optional.of(slow), 1, Duration.ofMillis(300),
                Duration.ofSeconds(30), 1 << 20));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<byte[]> first = pool.submit(() -> printer.pdf("<p>first</p>", "first"));
            while (printer.browsersStarted() == 0) {
                Thread.sleep(10);
            }
            assertThatThrownBy(() -> printer.pdf("<p>second</p>", "second"))
                    .isInstanceOfSatisfying(ReportPdf.PdfException.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.retryAfterSeconds()).isPositive();
                        assertThat(e.getMessage()).contains("All 1 PDF printers stayed busy").contains("try again");
                    });
            assertThat(new String(first.get(1, TimeUnit.MINUTES), StandardCharsets.US_ASCII)).startsWith("%PDF-");
            assertThat(printer.browsersStarted()).as("the refused request started none").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPrintThatHangsIsKilledWithItsWholeProcessTree() throws Exception {
        Path pids = dir.resolve("pids");
        Path hanging = script("hanging-browser", """
                #!/bin/bash
                echo $$ > "%1$s.tmp"
                sleep 600 &
                echo $! >> "%1$s.tmp"
                mv "%1$s.tmp" "%1$s"
                wait
                """.formatted(pids));
        ReportPdf printer = new ReportPdf(new ReportPdf.PdfSettings(Optional.of(hanging), 1, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1 << 20));
        assertThatThrownBy(() -> printer.pdf("<p>hangs</p>", "the hanging report"))
                .isInstanceOfSatisfying(ReportPdf.PdfException.class, e -> {
                    assertThat(e.status()).isEqualTo(504);
                    assertThat(e.getMessage()).isEqualTo("Chromium did not print the hanging report within 2 s; it was stopped");
                });
        List<Long> tree = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        assertThat(tree).hasSize(2);
        for (long pid : tree) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process " + pid).isFalse();
        }
    }

    @Test
    void withoutChromiumTheAnswerSaysHowToGetOne() {
        ReportPdf printer = new ReportPdf(new ReportPdf.PdfSettings(Optional.empty(), 1, Duration.ZERO, Duration.ofSeconds(1), 0));
        assertThatThrownBy(() -> printer.pdf("<p>x</p>", "x")).isInstanceOfSatisfying(ReportPdf.PdfException.class,
                e -> assertThat(e.status()).isEqualTo(501)).hasMessageContaining("apt-get install chromium");
        assertThatThrownBy(() -> new ReportPdf.PdfSettings(Optional.empty(), 5, Duration.ZERO, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 1 to 4");
    }

    @Test
    void theCacheKeepsAtMostItsBytesAndDropsTheLeastRecentlyUsed() {
        PdfCache cache = new PdfCache(10);
        cache.put("a", new byte[4]);
        cache.put("b", new byte[4]);
        assertThat(cache.get("a")).isNotNull();
        cache.put("c", new byte[4]);
        assertThat(cache.get("b")).as("least recently used").isNull();
        assertThat(cache.get("a")).isNotNull();
        assertThat(cache.bytes()).isEqualTo(8);
        cache.put("huge", new byte[11]);
        assertThat(cache.get("huge")).as("larger than the whole cache").isNull();
        assertThat(cache.size()).isEqualTo(2);
    }

    private Path script(String name, String text) throws Exception {
        Path s = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private static <T> List<T> atOnce(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> c : calls) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return c.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(3, TimeUnit.MINUTES));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}

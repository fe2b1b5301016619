package dev.candor.dashboard;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The audit report as a PDF, for the file a model-risk committee keeps: the same page as {@code /runs/{id}/report}
 * (self-contained, print styles), printed by a headless Chromium on this machine. Chromium is found through
 * {@code CANDOR_CHROMIUM}, else {@code chromium}, {@code chromium-browser} or {@code google-chrome} on the PATH; without
 * one the answer is a 501 page that says how to get one (or to print the HTML report from a browser).
 */
final class ReportPdf {
    private static final Logger LOG = Logger.getLogger(ReportPdf.class);
    private static final long TIMEOUT_SECONDS = 120;

    private ReportPdf() {
    }

    /** Prints the report page of run {@code id}, served under {@code base}, to a PDF response. */
    static Response print(String id, URI base) throws IOException, InterruptedException {
        Optional<java.nio.file.Path> chromium = chromium();
        if (chromium.isEmpty()) {
            return text(501, "No Chromium on the dashboard's machine to print the PDF with: install one (Debian:"
                    + " apt-get install chromium) or set CANDOR_CHROMIUM to its path; or open /runs/" + id + "/report"
                    + " and print it to PDF from your browser.");
        }
        URI report = base.resolve("runs/" + id + "/report");
        java.nio.file.Path dir = Files.createTempDirectory("candor-report-");
        java.nio.file.Path pdf = dir.resolve("report.pdf");
        try {
            List<String> command = new ArrayList<>(List.of(chromium.get().toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=" + dir.resolve("profile"),
                    "--print-to-pdf=" + pdf, report.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("chromium.log").toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return text(504, "Chromium did not print the report within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(pdf) || Files.size(pdf) == 0) {
                String log = Files.readString(dir.resolve("chromium.log"), StandardCharsets.UTF_8);
                LOG.warnf("chromium could not print %s (exit %d): %s", report, p.exitValue(), log);
                return text(500, "Chromium could not print the report (exit " + p.exitValue() + "): "
                        + tail(log, 800));
            }
            byte[] bytes = Files.readAllBytes(pdf);
            return Response.ok(bytes, "application/pdf")
                    .header("Content-Disposition", "attachment; filename=\"candor-run-" + id.substring(0, Math.min(8,
                            id.length())) + "-audit-report.pdf\"").build();
        } finally {
            try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** {@code CANDOR_CHROMIUM}, or the first Chromium on the PATH. */
    static Optional<java.nio.file.Path> chromium() {
        String configured = System.getenv("CANDOR_CHROMIUM");
        if (configured != null && !configured.isBlank()) return Optional.of(java.nio.file.Path.of(configured));
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                java.nio.file.Path candidate = java.nio.file.Path.of(dir, name);
                if (Files.isExecutable(candidate)) return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max);
    }

    private static Response text(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(message).build();
    }
}

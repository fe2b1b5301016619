package dev.candor.dashboard;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one PDF printer of the dashboard, from {@code candor.pdf.*} (application.properties names the defaults). */
@Dependent
class ReportPdfProducer {

    @Produces
    @Singleton
    static ReportPdf reportPdf(@ConfigProperty(name = "candor.pdf.chromium") Optional<String> chromium,
                               @ConfigProperty(name = "candor.pdf.max-browsers") int maxBrowsers,
                               @ConfigProperty(name = "candor.pdf.queue-wait") Duration queueWait,
                               @ConfigProperty(name = "candor.pdf.render-timeout") Duration renderTimeout,
                               @ConfigProperty(name = "candor.pdf.cache-bytes") long cacheBytes) {
        return new ReportPdf(new ReportPdf.PdfSettings(ReportPdf.PdfSettings.findChromium(chromium), maxBrowsers,
                queueWait, renderTimeout, cacheBytes));
    }
}

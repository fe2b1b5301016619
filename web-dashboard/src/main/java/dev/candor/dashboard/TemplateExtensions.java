package dev.candor.dashboard;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** Formatting helpers for the templates. */
@TemplateExtension
public class TemplateExtensions {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    static String metric(Map<String, Double> metrics, String name) {
        Double v = metrics.get(name);
        return v == null ? "" : RunPage.format(v);
    }

    static String seconds(Long millis) {
        return millis == null ? "" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String utc(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    /** A status in words: FAILED_GATES reads "failed gates". */
    static String words(String status) {
        return status == null ? "" : status.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}

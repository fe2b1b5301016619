package dev.candor.dashboard;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Printed PDFs by the sha256 of the report HTML they were printed from, in memory, at most {@code maxBytes} in all:
 * the least recently used go first. A report changes whenever what it shows changes (an approval, say), so its hash
 * does too and a stale PDF is never served; an unchanged report is printed once. Nothing is written to disk.
 */
final class PdfCache {
    private final long maxBytes;
    private final LinkedHashMap<String, byte[]> pdfs = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    PdfCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized byte[] get(String htmlSha256) {
        return pdfs.get(htmlSha256);
    }

    /** Keeps {@code pdf} unless it alone is larger than the cache; evicts the least recently used to make room. */
    synchronized void put(String htmlSha256, byte[] pdf) {
        if (pdf.length > maxBytes || pdfs.containsKey(htmlSha256)) {
            return;
        }
        pdfs.put(htmlSha256, pdf);
        bytes += pdf.length;
        Iterator<Map.Entry<String, byte[]>> oldest = pdfs.entrySet().iterator();
        while (bytes > maxBytes && oldest.hasNext()) {
            bytes -= oldest.next().getValue().length;
            oldest.remove();
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return pdfs.size();
    }
}

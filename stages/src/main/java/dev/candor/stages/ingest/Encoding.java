package dev.candor.stages.ingest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The character encodings {@code ingest.csv} reads, as {@code encoding:} in the YAML ({@code utf-8},
 * {@code iso-8859-1}, {@code windows-1252}). UTF-8 is the default; the other two are what spreadsheet exports on
 * European Windows machines (banks, hospitals) usually are. A byte the encoding does not define is an error naming its
 * row, never a silent replacement character.
 */
public enum Encoding {
    /** UTF-8 (a leading byte-order mark is allowed). */
    UTF_8(StandardCharsets.UTF_8),
    /** ISO-8859-1 (Latin-1): every byte is a character. */
    ISO_8859_1(StandardCharsets.ISO_8859_1),
    /** Windows-1252, Excel's "CSV" on Western European Windows: Latin-1 plus € and typographic quotes at 0x80–0x9F. */
    WINDOWS_1252(Charset.forName("windows-1252"));

    private final Charset charset;

    Encoding(Charset charset) {
        this.charset = charset;
    }

    public Charset charset() {
        return charset;
    }

    /** The name as written in the YAML and in messages. */
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}

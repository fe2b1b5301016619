package dev.candor.stages.ingest;

import java.io.IOException;
import java.io.Reader;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parses one CSV file into rows that remember the line they start on. A file is parsed whole by one call (a CSV
 * cannot be split safely: a quoted value may hold line breaks), and rows with the wrong number of fields become
 * issues rather than failures, so all of them are reported together.
 */
final class ParseCsvFn extends DoFn<FileIO.ReadableFile, CsvRow> {
    static final TupleTag<CsvRow> ROWS = new TupleTag<>() { };
    static final TupleTag<Issue> ISSUES = new TupleTag<>() { };
    static final String METRIC_NAMESPACE = "candor.ingest";
    static final String ROWS_READ = "rows";

    /** Commons CSV's message for a quote never closed names the line the quoted value starts on. */
    private static final Pattern START_LINE = Pattern.compile("\\(startline ([^)]*)\\)");

    private final ColumnLayout layout;
    private final char delimiter;
    private final Encoding encoding;
    private final Counter rowsRead = Metrics.counter(METRIC_NAMESPACE, ROWS_READ);

    ParseCsvFn(ColumnLayout layout, char delimiter, Encoding encoding) {
        this.layout = layout;
        this.delimiter = delimiter;
        this.encoding = encoding;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) throws IOException {
        int expected = layout.header().size();
        try (Reader reader = new DecodingReader(Channels.newInputStream(file.open()), encoding);
             CSVParser parser = CsvFiles.format(delimiter).parse(reader)) {
            Iterator<CSVRecord> records = parser.iterator();
            boolean header = true;
            // The line the last good record ended on: the next record starts after it.
            long lastEnd = 0;
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) break;
                    record = records.next();
                } catch (IllegalStateException | java.io.UncheckedIOException e) {
                    // The parser is lost for the rest of the file: report where, and stop.
                    out.get(ISSUES).output(unreadable(e, lastEnd, parser.getCurrentLineNumber()));
                    break;
                }
                lastEnd = parser.getCurrentLineNumber();
                if (header) {
                    header = false;
                    continue;
                }
                // The parser's line count stands at the record's last line; quoted line breaks put its start earlier.
                long row = lastEnd - lineBreaks(record);
                rowsRead.inc();
                if (record.size() != expected) {
                    out.get(ISSUES).output(new Issue(row, -1, null, null, "found " + record.size() + " field"
                            + (record.size() == 1 ? "" : "s") + ", expected " + expected + " (one per header column)"
                            + " — a value containing the delimiter '" + delimiter + "' must be wrapped in double quotes"));
                    continue;
                }
                List<String> fields = new ArrayList<>(layout.size());
                for (ColumnLayout.Column c : layout.columns()) fields.add(record.get(c.source()));
                out.get(ROWS).output(new CsvRow(row, fields));
            }
        }
    }

    /**
     * Why reading stopped: a byte the encoding does not define (its row), or broken quoting (the row the quoted
     * value starts on, when Commons CSV says it, else the row after the last good record).
     */
    private static Issue unreadable(RuntimeException e, long lastEnd, long linesRead) {
        DecodingReader.UndecodableBytesException bytes = DecodingReader.find(e);
        if (bytes != null) {
            return Issue.endOfReading(bytes.row(), bytes.expectation() + "; nothing after this row was read");
        }
        String message = CsvFiles.rootMessage(e);
        Matcher start = START_LINE.matcher(message == null ? "" : message);
        if (start.find()) {
            // Formatted with the JVM's locale ("1,234", "1.234"): keep the digits.
            String digits = start.group(1).replaceAll("\\D", "");
            long row = digits.isEmpty() ? lastEnd + 1 : Long.parseLong(digits);
            return Issue.endOfReading(row, "a quoted value starts on this row and its closing quote never comes:"
                    + " the rest of the file (to line " + linesRead + ") was read as part of it, so nothing after this"
                    + " row was checked — close the quote, or double a quote that is part of the value (\"\")");
        }
        return Issue.endOfReading(lastEnd + 1, "the quoting is broken (" + message + ") — a value containing the"
                + " delimiter, a quote or a line break must be wrapped in double quotes, and a quote inside it doubled"
                + " (\"\"); nothing after this row was read");
    }

    /** Line breaks inside a record's values, counted as the parser counts lines (CR LF, LF or a lone CR). */
    private static long lineBreaks(CSVRecord record) {
        long n = 0;
        for (String value : record) {
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                if (ch == '\n' || (ch == '\r' && (i + 1 == value.length() || value.charAt(i + 1) != '\n'))) n++;
            }
        }
        return n;
    }
}

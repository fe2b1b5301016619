package dev.candor.stages.ingest;

import java.io.IOException;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

    private final ColumnLayout layout;
    private final char delimiter;
    private final Counter rowsRead = Metrics.counter(METRIC_NAMESPACE, ROWS_READ);

    ParseCsvFn(ColumnLayout layout, char delimiter) {
        this.layout = layout;
        this.delimiter = delimiter;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) throws IOException {
        int expected = layout.header().size();
        try (Reader reader = Channels.newReader(file.open(), StandardCharsets.UTF_8);
             CSVParser parser = CsvFiles.format(delimiter).parse(reader)) {
            Iterator<CSVRecord> records = parser.iterator();
            boolean header = true;
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) break;
                    record = records.next();
                } catch (IllegalStateException | java.io.UncheckedIOException e) {
                    // Broken quoting leaves the parser lost for the rest of the file: report it and stop.
                    out.get(ISSUES).output(new Issue(parser.getCurrentLineNumber() + 1, -1, null, null,
                            "the quoting is broken (" + CsvFiles.rootMessage(e) + ") — a value containing the delimiter,"
                                    + " a quote or a line break must be wrapped in double quotes, and a quote inside it doubled (\"\")"));
                    break;
                }
                if (header) {
                    header = false;
                    continue;
                }
                // The parser's line count stands at the record's last line; quoted line breaks put its start earlier.
                long row = parser.getCurrentLineNumber() - lineBreaks(record);
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

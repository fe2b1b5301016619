package dev.candor.stages.ingest;

import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.Excerpt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * What ingestion reads outside the Beam pipeline: the CSV dialect, the header (checked before any pipeline starts,
 * so a wrong file fails in milliseconds) and the file's content hash.
 */
final class CsvFiles {
    private static final char BOM = '\uFEFF';

    private CsvFiles() {
    }

    /** RFC 4180 with the given delimiter; blank lines are skipped (editors and exports leave them at the end). */
    static CSVFormat format(char delimiter) {
        return CSVFormat.DEFAULT.builder().setDelimiter(delimiter).build();
    }

    /**
     * Reads and checks the header: the file must not be empty, names must be present and unique, and at least one
     * data row must follow. A byte the encoding does not define is reported with its row if the header or the first
     * data row holds it; later ones are the pipeline's to report.
     *
     * @throws DataException naming the file and, for a bad name, the column
     */
    static List<String> readHeader(Path path, char delimiter, Encoding encoding) {
        String file = path.getFileName().toString();
        try (Reader reader = new DecodingReader(Files.newInputStream(path), encoding);
             CSVParser parser = format(delimiter).parse(reader)) {
            Iterator<CSVRecord> records = parser.iterator();
            List<String> header;
            try {
                if (!records.hasNext()) {
                    throw new DataException(file, 0, null, null,
                            "the file is empty — expected a header row naming the columns, then one row per example");
                }
                header = new ArrayList<>(records.next().toList());
            } catch (UncheckedIOException | IllegalStateException e) {
                DecodingReader.UndecodableBytesException u = DecodingReader.find(e);
                if (u != null) throw new DataException(file, u.row(), null, null, u.expectation());
                // Commons CSV reports broken quoting this way; a quote problem in the header is a data problem.
                throw new DataException(file, 1, null, null, "the header row cannot be parsed (" + rootMessage(e)
                        + ") — a name containing the delimiter or a quote must be quoted, with inner quotes doubled");
            }
            header.set(0, stripBom(header.get(0)));
            checkNames(file, header);
            boolean data;
            try {
                data = records.hasNext();
            } catch (UncheckedIOException | IllegalStateException e) {
                DecodingReader.UndecodableBytesException u = DecodingReader.find(e);
                if (u != null) throw new DataException(file, u.row(), null, null, u.expectation());
                // A data row follows but its quoting is broken: the pipeline reports it with its row.
                data = true;
            }
            if (!data) {
                throw new DataException(file, 0, null, null, "the file has a header row but no data rows — add the data"
                        + " below the header, one row per example (header: " + Excerpt.list(header) + ")");
            }
            return List.copyOf(header);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Excel and some exports start UTF-8 files with a byte-order mark, which would otherwise stick to the first name. */
    static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == BOM ? s.substring(1) : s;
    }

    private static void checkNames(String file, List<String> header) {
        List<DataException.Problem> problems = new ArrayList<>();
        Map<String, Integer> first = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (name.isBlank()) {
                problems.add(new DataException.Problem(file, 1, null, name, "column " + (i + 1) + " has no name in the header"
                        + " — give every column a name (a trailing delimiter at the end of the header adds an empty column)"));
                continue;
            }
            Integer previous = first.putIfAbsent(name, i);
            if (previous != null) {
                problems.add(new DataException.Problem(file, 1, name, null, "the header names column '" + Excerpt.of(name) + "' twice"
                        + " (columns " + (previous + 1) + " and " + (i + 1) + ") — give every column a unique name"));
            }
        }
        if (!problems.isEmpty()) throw new DataException(problems, problems.size());
    }

    /** The file's SHA-256, in lower-case hex. */
    static String sha256(Path path) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }
}

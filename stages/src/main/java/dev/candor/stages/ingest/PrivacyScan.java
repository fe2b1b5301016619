package dev.candor.stages.ingest;

import dev.candor.explain.privacy.IdentifierScan;
import dev.candor.explain.privacy.KAnonymity;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.FindingSink;
import dev.candor.stages.spi.MetricSink;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The privacy checks of {@code ingest.csv}, run on the source file after the pipeline has accepted it: an
 * {@link IdentifierScan} over every column not declared {@code id} or ignored (on the first {@value #SCAN_ROWS}
 * rows: patterns and uniqueness settle long before), and, when quasi-identifiers are declared, the file's
 * {@link KAnonymity} over all rows. Reads the file in order, so the outcome depends on its bytes alone.
 */
final class PrivacyScan {
    /** Rows the identifier scan looks at. */
    static final int SCAN_ROWS = 10_000;
    /** A pattern kind is flagged when this share of the non-missing values match it. */
    static final double MATCH_THRESHOLD = 0.8;
    /** Uniqueness and free text are judged only with at least this many values. */
    static final int MIN_ROWS = 50;
    static final String K_ANONYMITY = "privacy.k_anonymity";

    /**
     * What the scan found.
     *
     * @param identifiers the identifier scan
     * @param kAnonymity  the k-anonymity, when quasi-identifiers were declared
     */
    record Result(IdentifierScan.Report identifiers, Optional<KAnonymity.Result> kAnonymity) {
    }

    private PrivacyScan() {
    }

    /** Checked before the pipeline starts: every quasi-identifier is a column of the file. */
    static void check(String file, List<String> header, CsvIngestConfig config) {
        for (String q : config.quasiIdentifiers()) {
            if (!header.contains(q)) {
                throw new ConfigException("quasi_identifiers", "'" + q + "' is not a column of " + file
                        + "; its columns are " + header);
            }
        }
    }

    static Result run(Path file, char delimiter, List<String> header, CsvIngestConfig config) {
        check(file.getFileName().toString(), header, config);
        List<Integer> scanned = new ArrayList<>();
        List<String> scannedNames = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            if (name.equals(config.id()) || config.ignore().contains(name)) continue;
            scanned.add(c);
            scannedNames.add(name);
        }
        int[] qi = config.quasiIdentifiers().stream().mapToInt(header::indexOf).toArray();
        List<List<String>> scanRows = new ArrayList<>();
        List<List<String>> qiRows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, config.encoding().charset());
             CSVParser parser = CsvFiles.format(delimiter).parse(reader)) {
            boolean first = true;
            for (CSVRecord record : parser) {
                if (first) {
                    first = false;
                    continue;
                }
                // Rows of the wrong width were already rejected or reported by the pipeline.
                if (record.size() != header.size()) continue;
                if (scanRows.size() < SCAN_ROWS) {
                    List<String> row = new ArrayList<>(scanned.size());
                    for (int c : scanned) row.add(record.get(c));
                    scanRows.add(row);
                }
                if (qi.length > 0) {
                    List<String> row = new ArrayList<>(qi.length);
                    for (int c : qi) row.add(record.get(c));
                    qiRows.add(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        IdentifierScan.Report report = IdentifierScan.scan(scannedNames, scanRows, MATCH_THRESHOLD, MIN_ROWS);
        Optional<KAnonymity.Result> k = qi.length == 0 ? Optional.empty()
                : Optional.of(KAnonymity.of(config.quasiIdentifiers(), qiRows, config.quasiIdentifiers()));
        return new Result(report, k);
    }

    /** Direct identifiers and low k are warnings; quasi-identifier-like columns are information. */
    static void report(Result result, CsvIngestConfig config, String file, MetricSink metrics, FindingSink findings) {
        for (IdentifierScan.Finding f : result.identifiers().findings()) {
            String kind = f.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            if (f.direct()) {
                findings.warn("privacy.direct_identifier", f.column(), "column '" + f.column() + "' of " + file
                        + " looks like a direct identifier (" + kind + ": " + f.evidence() + "); a model must not"
                        + " learn from it and the dataset should not carry it: drop it from the file, list it under"
                        + " ignore:, or declare it as the id: column if it is the row key");
            } else {
                findings.info("privacy.quasi_identifier", f.column(), "column '" + f.column() + "' of " + file
                        + " may single rows out (" + kind + ": " + f.evidence() + "); consider declaring it among"
                        + " quasi_identifiers: to measure k-anonymity");
            }
        }
        result.kAnonymity().ifPresent(k -> {
            metrics.record(K_ANONYMITY, k.k(), null);
            if (k.k() < config.minK()) {
                findings.warn("privacy.k_anonymity", String.join(",", k.quasiIdentifiers()), String.format(Locale.ROOT,
                        "%s is only %d-anonymous over %s (%d of %d rows sit in classes smaller than min_k %d, %d of"
                                + " them alone); generalize these columns (e.g. age bands, shorter zip codes) or"
                                + " suppress the rare combinations", file, k.k(), k.quasiIdentifiers(),
                        k.rowsBelow(config.minK()), k.rows(), config.minK(), k.uniqueRows()));
            }
        });
    }
}

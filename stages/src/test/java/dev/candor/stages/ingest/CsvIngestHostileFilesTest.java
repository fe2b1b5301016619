package dev.candor.stages.ingest;

import static dev.candor.stages.ingest.HostileCsv.config;
import static dev.candor.stages.ingest.HostileCsv.csv;
import static dev.candor.stages.ingest.HostileCsv.failure;
import static dev.candor.stages.ingest.HostileCsv.row;
import static dev.candor.stages.ingest.HostileCsv.success;
import static dev.candor.stages.ingest.HostileCsv.withField;
import static dev.candor.stages.ingest.HostileCsv.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.stages.data.Datasets;
import dev.candor.stages.spi.DataException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken files users bring (issue 9): an unterminated quote, a file that is not UTF-8, UTF-16, a BOM with CRLF and
 * blank lines, the wrong delimiter, a 1 MB header, too few fields. Each is reported at its row, through the real
 * stage on the DirectRunner, or read correctly.
 */
class CsvIngestHostileFilesTest {

    @TempDir
    Path tmp;

    @Test
    void anUnterminatedQuoteIsReportedAtTheRowItStartsOnNotAsAStratificationProblem() {
        Path csv = write(tmp, "quote.csv", withField(7, 2, "\"x"));

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.row()).isEqualTo(7);
            assertThat(p.expectation()).contains("a quoted value starts on this row and its closing quote never comes",
                    "to line 61", "close the quote");
        });
        assertThat(e.getMessage()).doesNotContain("stratify", "class '");
    }

    @Test
    void anUnterminatedQuoteInTheFirstDataRowIsNotBlamedOnTheHeader() {
        Path csv = write(tmp, "quote2.csv", withField(2, 2, "\"x"));

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.row()).isEqualTo(2));
        assertThat(e.getMessage()).doesNotContain("header");
    }

    @Test
    void aLatin1ByteNamesItsRowSaysTheFileIsNotUtf8AndEncodingWindows1252ReadsIt() throws Exception {
        byte[] latin1 = withField(9, 2, "café").getBytes(StandardCharsets.ISO_8859_1);
        Path csv = write(tmp, "latin1.csv", latin1);

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.row()).isEqualTo(9);
            assertThat(p.expectation()).contains("the file is not UTF-8: byte 0xE9 after '", "caf'",
                    "`encoding: windows-1252`", "iconv");
        });
        assertThat(e.getMessage()).doesNotContain("header row");

        success(config(csv).withEncoding(Encoding.WINDOWS_1252), tmp.resolve("cp1252"));
        assertThat(Datasets.readSchema(tmp.resolve("cp1252")).column("c").categories()).containsExactly("café", "x", "z");
        success(config(csv).withEncoding(Encoding.ISO_8859_1), tmp.resolve("latin1"));
        assertThat(Datasets.readSchema(tmp.resolve("latin1")).column("c").categories()).contains("café");
    }

    @Test
    void aBadByteFarDownTheFileAndOneInTheHeaderAreEachReportedAtTheirRow() {
        // Past the header check's read-ahead: the pipeline reports it.
        StringBuilder big = new StringBuilder(HostileCsv.HEADER).append('\n');
        for (int i = 0; i < 5000; i++) big.append(i == 4000 ? row(i).replace(",x,", ",\u00e9,").replace(",z,", ",\u00e9,") : row(i)).append('\n');
        Path far = write(tmp, "far.csv", big.toString().getBytes(Charset.forName("windows-1252")));
        assertThat(failure(far, c -> c, tmp.resolve("out1")).problems()).singleElement()
                .satisfies(p -> assertThat(p.row()).isEqualTo(4002));

        Path header = write(tmp, "header.csv", csv(HostileCsv::row).replaceFirst("a,b", "\u00e4,b")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(failure(header, c -> c, tmp.resolve("out2")).problems()).singleElement()
                .satisfies(p -> assertThat(p.row()).isEqualTo(1));
    }

    @Test
    void aUtf16FileIsSaidToBeUtf16() {
        byte[] text = ("\uFEFF" + csv(HostileCsv::row)).getBytes(StandardCharsets.UTF_16LE);
        Path csv = write(tmp, "utf16.csv", text);

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.row()).isEqualTo(1);
            assertThat(p.expectation()).contains("the file is UTF-16", "CSV UTF-8");
        });
    }

    @Test
    void aBomCrlfAndBlankLinesAreReadAndRowsKeepTheirLineNumbers() throws Exception {
        String good = "\uFEFF" + csv(HostileCsv::row).replace("\n" + row(10) + "\n", "\n" + row(10) + "\n\n\n");
        success(config(write(tmp, "ok.csv", good.replace("\n", "\r\n"))), tmp.resolve("ok"));
        assertThat(Datasets.readSchema(tmp.resolve("ok")).columns()).extracting(c -> c.name())
                .containsExactly("a", "b", "c", "y");

        // Two blank lines after line 12: data row 20 (line 22 without them) is on line 24.
        String bad = good.replace("\n" + row(20) + "\n", "\n" + "oops" + row(20).substring(row(20).indexOf(',')) + "\n");
        DataException e = failure(write(tmp, "bad.csv", bad.replace("\n", "\r\n")), c -> c, tmp.resolve("out"));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.row()).isEqualTo(24);
            assertThat(p.column()).isEqualTo("a");
        });
    }

    @Test
    void aSemicolonFileSuggestsTheDelimiter() {
        Path csv = write(tmp, "semi.csv", csv(HostileCsv::row).replace(',', ';'));

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.problems()).singleElement().extracting(DataException.Problem::expectation).asString()
                .contains("the header is a single column", "set `delimiter: ';'`");
    }

    @Test
    void aOneMegabyteHeaderGivesABoundedMessage() {
        String name = "h".repeat(1_000_000);
        Path csv = write(tmp, "wide.csv", csv(HostileCsv::row).replaceFirst("a,b,c,y", name + ",b,c,label"));

        DataException e = failure(csv, c -> c, tmp.resolve("out"));

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.column()).isEqualTo("y"));
        assertThat(e.getMessage()).hasSizeLessThan(1_000).contains("more characters)", "label");
    }

    @Test
    void rowsWithTooFewOrTooManyFieldsAreNamed() {
        String text = csv(i -> i + 2 == 6 ? "1,2,n" : i + 2 == 8 ? row(i) + ",extra" : row(i));

        DataException e = failure(write(tmp, "ragged.csv", text), c -> c, tmp.resolve("out"));

        assertThat(e.problems()).extracting(DataException.Problem::row).containsExactly(6L, 8L);
        assertThat(e.problems().get(0).expectation()).contains("found 3 fields, expected 4");
        assertThat(e.problems().get(1).expectation()).contains("found 5 fields, expected 4");
    }
}

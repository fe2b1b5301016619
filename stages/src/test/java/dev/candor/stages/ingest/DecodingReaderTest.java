package dev.candor.stages.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reader decodes what the JDK decodes, and names the row of a byte its encoding does not define. */
class DecodingReaderTest {

    private static String readAll(Reader r, boolean oneCharAtATime) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (oneCharAtATime) {
            for (int c; (c = r.read()) >= 0; ) sb.append((char) c);
        } else {
            char[] buf = new char[777];
            for (int n; (n = r.read(buf, 0, buf.length)) >= 0; ) sb.append(buf, 0, n);
        }
        return sb.toString();
    }

    /** Random text over line breaks of every kind, accents and characters outside the BMP. */
    private static String randomText(SplittableRandom random, int length) {
        String[] pieces = {"a", "b", ",", "\"", "\n", "\r\n", "\r", "é", "€", "\uD83D\uDE00", "ß", " "};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) sb.append(pieces[random.nextInt(pieces.length)]);
        return sb.toString();
    }

    @Test
    void decodesExactlyWhatTheJdkDecodesInBlocksAndOneCharAtATime() throws IOException {
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 30; i++) {
            String text = randomText(random, random.nextInt(1, 60_000));
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            assertThat(readAll(new DecodingReader(new ByteArrayInputStream(utf8), Encoding.UTF_8), i % 2 == 0)).isEqualTo(text);
        }
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) all[b] = (byte) b;
        assertThat(readAll(new DecodingReader(new ByteArrayInputStream(all), Encoding.ISO_8859_1), false))
                .isEqualTo(new String(all, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aBadByteIsReportedOnTheRowItIsOnCountingLinesAsTheCsvParserDoes() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 40; i++) {
            String before = randomText(random, random.nextInt(0, 40_000));
            // Lines as Commons CSV counts them: CR LF, LF, or a lone CR each end one.
            long lines = 1 + before.replace("\r\n", "\n").chars().filter(c -> c == '\n' || c == '\r').count();
            byte[] head = (before + "caf").getBytes(StandardCharsets.UTF_8);
            byte[] bytes = new byte[head.length + 3];
            System.arraycopy(head, 0, bytes, 0, head.length);
            bytes[head.length] = (byte) 0xE9;
            bytes[head.length + 1] = ',';
            bytes[head.length + 2] = '\n';

            boolean oneChar = i % 3 == 0;
            DecodingReader.UndecodableBytesException e = catchThrowableOfType(DecodingReader.UndecodableBytesException.class,
                    () -> readAll(new DecodingReader(new ByteArrayInputStream(bytes), Encoding.UTF_8), oneChar));

            assertThat(e).isNotNull();
            assertThat(e.row()).as("case %d", i).isEqualTo(lines);
            assertThat(e.expectation()).contains("the file is not UTF-8: byte 0xE9 after '", "caf'",
                    "`encoding: windows-1252`");
        }
    }

    @Test
    void aUtf16FileAndAnUndefinedWindows1252ByteSayWhatTheyAre() {
        byte[] utf16 = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[utf16.length + 2];
        withBom[0] = (byte) 0xFF;
        withBom[1] = (byte) 0xFE;
        System.arraycopy(utf16, 0, withBom, 2, utf16.length);
        DecodingReader.UndecodableBytesException e = catchThrowableOfType(DecodingReader.UndecodableBytesException.class,
                () -> readAll(new DecodingReader(new ByteArrayInputStream(withBom), Encoding.UTF_8), false));
        assertThat(e.row()).isEqualTo(1);
        assertThat(e.expectation()).contains("the file is UTF-16", "CSV UTF-8");

        byte[] cp1252 = {'a', '\n', 'b', (byte) 0x81, '\n'};
        e = catchThrowableOfType(DecodingReader.UndecodableBytesException.class,
                () -> readAll(new DecodingReader(new ByteArrayInputStream(cp1252), Encoding.WINDOWS_1252), false));
        assertThat(e.row()).isEqualTo(2);
        assertThat(e.expectation()).contains("not windows-1252", "byte 0x81 after 'b'");
    }
}

package dev.candor.stages.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.HexFormat;

/**
 * Decodes a CSV file's bytes in the declared {@link Encoding}, counting lines as Commons CSV does (CR LF, LF or a
 * lone CR), so that a byte the encoding does not define is reported with the row it is on rather than as a bare
 * "Input length = 1" somewhere in the file. The JDK's readers decode ahead in blocks of thousands of characters and
 * cannot say where the bad byte was.
 */
final class DecodingReader extends Reader {
    private static final int BUFFER = 16 * 1024;
    /** Characters of the line before a bad byte that the error shows, to help find it. */
    private static final int CONTEXT = 40;

    /** A byte sequence the encoding does not define, with where it is. Read by {@link #find(Throwable)}. */
    static final class UndecodableBytesException extends IOException {
        private final Encoding encoding;
        private final long row;
        private final String bytes;
        private final String before;
        private final boolean utf16;

        UndecodableBytesException(Encoding encoding, long row, String bytes, String before, boolean utf16) {
            super("row " + row + ": byte(s) " + bytes + " are not " + encoding.yamlName());
            this.encoding = encoding;
            this.row = row;
            this.bytes = bytes;
            this.before = before;
            this.utf16 = utf16;
        }

        long row() {
            return row;
        }

        /** What was found and how to fix it, for a {@link dev.candor.stages.spi.DataException}. */
        String expectation() {
            String where = "byte" + (bytes.contains(" ") ? "s " : " ") + bytes
                    + (before.isEmpty() ? " at the start of the row" : " after '" + before + "'");
            if (utf16) {
                return "the file is UTF-16 (it starts with a UTF-16 byte-order mark), not " + encoding.yamlName()
                        + " — save it as \"CSV UTF-8\" (or convert it: iconv -f UTF-16 -t UTF-8)";
            }
            if (encoding == Encoding.UTF_8) {
                return "the file is not UTF-8: " + where + " is not valid UTF-8 — if the file comes from Excel or"
                        + " another Windows program, set `encoding: windows-1252` (or `iso-8859-1`) under `with:`,"
                        + " or convert it to UTF-8 (iconv -f WINDOWS-1252 -t UTF-8)";
            }
            return "the file is not " + encoding.yamlName() + ": " + where + " is not a character of "
                    + encoding.yamlName() + " — check the file's encoding and set `encoding:` to match (utf-8,"
                    + " iso-8859-1 or windows-1252), or convert it to UTF-8";
        }
    }

    private final InputStream in;
    private final Encoding encoding;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
    private boolean endOfInput;
    private boolean flushed;
    private long consumedBytes;
    private boolean utf16;
    /** Line breaks handed out so far; the row being read is this plus one. */
    private long lineBreaks;
    private boolean lastWasCr;
    private final StringBuilder lineSoFar = new StringBuilder();
    /** The second char of a pair decoded for a one-char read (already counted), or -1. */
    private int pending = -1;

    DecodingReader(InputStream in, Encoding encoding) {
        this.in = in;
        this.encoding = encoding;
        this.decoder = encoding.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pending >= 0) {
            cbuf[off] = (char) pending;
            pending = -1;
            return 1;
        }
        if (len == 1) {
            // A character outside the BMP needs two chars: decode into a pair and keep the second for the next call.
            char[] pair = new char[2];
            int n = read(pair, 0, 2);
            if (n <= 0) return n;
            cbuf[off] = pair[0];
            // counted() has seen both; the second is handed out by the next call.
            if (n == 2) pending = pair[1];
            return 1;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            CoderResult result = flushed ? CoderResult.UNDERFLOW : decoder.decode(bytes, out, endOfInput);
            int produced = out.position() - off;
            if (result.isError()) {
                // Hand out what came before the bad bytes first, so the line count stands at their row.
                if (produced > 0) return counted(cbuf, off, produced);
                throw undecodable(result.length());
            }
            if (produced > 0) return counted(cbuf, off, produced);
            if (result.isOverflow()) throw new IllegalStateException("no room to decode into " + len + " characters");
            if (endOfInput) {
                if (!flushed) {
                    flushed = true;
                    decoder.flush(out);
                    if (out.position() > off) return counted(cbuf, off, out.position() - off);
                }
                return -1;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        consumedBytes += bytes.position();
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
        if (consumedBytes == 0 && bytes.remaining() >= 2) {
            int b0 = bytes.get(0) & 0xFF;
            int b1 = bytes.get(1) & 0xFF;
            utf16 = (b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF);
        }
    }

    private int counted(char[] cbuf, int off, int n) {
        for (int i = off; i < off + n; i++) {
            char c = cbuf[i];
            if (c == '\n') {
                if (!lastWasCr) lineBreaks++;
                lineSoFar.setLength(0);
            } else if (c == '\r') {
                lineBreaks++;
                lineSoFar.setLength(0);
            } else {
                lineSoFar.append(c);
                if (lineSoFar.length() > 4 * CONTEXT) lineSoFar.delete(0, lineSoFar.length() - CONTEXT);
            }
            lastWasCr = c == '\r';
        }
        return n;
    }

    private UndecodableBytesException undecodable(int length) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length && bytes.position() + i < bytes.limit(); i++) {
            if (i > 0) hex.append(' ');
            hex.append("0x").append(HexFormat.of().withUpperCase().toHexDigits(bytes.get(bytes.position() + i)));
        }
        String line = lineSoFar.length() > CONTEXT ? lineSoFar.substring(lineSoFar.length() - CONTEXT) : lineSoFar.toString();
        return new UndecodableBytesException(encoding, lineBreaks + 1, hex.toString(),
                dev.candor.stages.spi.Excerpt.of(line), utf16);
    }

    /** The undecodable bytes behind {@code e} (Commons CSV wraps what the reader throws), or null. */
    static UndecodableBytesException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UndecodableBytesException u) return u;
            if (t.getCause() == t) break;
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

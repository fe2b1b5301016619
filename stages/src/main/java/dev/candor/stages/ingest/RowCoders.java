package dev.candor.stages.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Compact coders for the rows flowing through ingestion. Java serialization (Beam's fallback) writes class
 * descriptors with every element, and the DirectRunner copies grouped elements through their coder on every access:
 * with it, the rows' coding took most of a small pipeline's time.
 */
final class RowCoders {
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final int NULL = 0;
    private static final int NUMBER = 1;
    private static final int TEXT = 2;

    private RowCoders() {
    }

    static void register(CoderRegistry registry) {
        registry.registerCoderForClass(CsvRow.class, CsvRowCoder.INSTANCE);
        registry.registerCoderForClass(TypedRow.class, TypedRowCoder.INSTANCE);
    }

    /** Row number, then the fields as length-prefixed UTF-8. */
    static final class CsvRowCoder extends AtomicCoder<CsvRow> {
        static final CsvRowCoder INSTANCE = new CsvRowCoder();

        @Override
        public void encode(CsvRow row, OutputStream out) throws IOException {
            VarInt.encode(row.row(), out);
            VarInt.encode(row.fields().size(), out);
            for (String field : row.fields()) STRING.encode(field, out);
        }

        @Override
        public CsvRow decode(InputStream in) throws IOException {
            long row = VarInt.decodeLong(in);
            int n = VarInt.decodeInt(in);
            List<String> fields = new ArrayList<>(n);
            for (int i = 0; i < n; i++) fields.add(STRING.decode(in));
            return new CsvRow(row, fields);
        }
    }

    /** Row number, then each value tagged: empty, a double, or length-prefixed UTF-8. */
    static final class TypedRowCoder extends AtomicCoder<TypedRow> {
        static final TypedRowCoder INSTANCE = new TypedRowCoder();

        @Override
        public void encode(TypedRow row, OutputStream out) throws IOException {
            VarInt.encode(row.row(), out);
            VarInt.encode(row.values().length, out);
            for (Object v : row.values()) {
                if (v == null) {
                    out.write(NULL);
                } else if (v instanceof Double d) {
                    out.write(NUMBER);
                    new DataOutputStream(out).writeLong(Double.doubleToRawLongBits(d));
                } else {
                    out.write(TEXT);
                    STRING.encode((String) v, out);
                }
            }
        }

        @Override
        public TypedRow decode(InputStream in) throws IOException {
            long row = VarInt.decodeLong(in);
            Object[] values = new Object[VarInt.decodeInt(in)];
            for (int i = 0; i < values.length; i++) {
                int tag = in.read();
                values[i] = switch (tag) {
                    case NULL -> null;
                    case NUMBER -> Double.longBitsToDouble(new DataInputStream(in).readLong());
                    case TEXT -> STRING.decode(in);
                    default -> throw new IOException("corrupt TypedRow: value tag " + tag);
                };
            }
            return new TypedRow(row, values);
        }
    }
}

package dev.candor.gpu.session;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.candor.explain.Predictor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Predictor} backed by an ONNX model: one float input of shape [N, features] and one float output of
 * shape [N, outputs] (class probabilities for a Candor model). Large inputs are fed in batches of
 * {@link Options#batchSize()} rows.
 *
 * <p>Thread-safe: ONNX Runtime sessions may {@code run} concurrently, and every call uses its own buffers. Close
 * it once no call is running; calls after {@link #close()} fail.
 */
public final class OnnxPredictor implements Predictor, AutoCloseable {

    /**
     * What to feed and what to read.
     *
     * @param input     the ONNX input to feed; null picks the model's only input
     * @param output    the ONNX output to read (for a Candor model, the probabilities output)
     * @param labels    a name per output column (class names); empty names them "0", "1", ... from the output shape
     * @param batchSize the most rows per ONNX Runtime call (memory per call grows with it)
     * @param session   how to open the session (device, threads)
     */
    public record Options(String input, String output, List<String> labels, int batchSize, SessionSettings session) {
        public static final int DEFAULT_BATCH = 1024;

        public Options {
            if (output == null || output.isBlank()) throw new IllegalArgumentException("name the ONNX output to read");
            labels = labels == null ? List.of() : List.copyOf(labels);
            if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            if (session == null) session = SessionSettings.defaults();
        }

        public static Options of(String input, String output) {
            return new Options(input, output, List.of(), DEFAULT_BATCH, SessionSettings.defaults());
        }

        public Options withLabels(List<String> names) {
            return new Options(input, output, names, batchSize, session);
        }

        public Options withBatchSize(int rows) {
            return new Options(input, output, labels, rows, session);
        }

        public Options withSession(SessionSettings settings) {
            return new Options(input, output, labels, batchSize, settings);
        }
    }

    private final OpenSession open;
    private final String source;
    private final String input;
    private final String output;
    private final Set<String> requested;
    private final int width;
    private final List<String> labels;
    private final int batchSize;
    private final Map<String, String> metadata;
    private volatile boolean closed;

    private OnnxPredictor(OpenSession open, String source, Options options) {
        this.open = open;
        this.source = source;
        this.batchSize = options.batchSize();
        try {
            OrtSession s = open.session();
            this.input = options.input() != null ? options.input() : onlyInput(s);
            this.width = (int) columns(s.getInputInfo(), input, "input", "features");
            this.output = options.output();
            long outputs = columns(s.getOutputInfo(), output, "output", "outputs");
            this.labels = labels(options.labels(), outputs);
            this.requested = Set.of(output);
            this.metadata = Map.copyOf(s.getMetadata().getCustomMetadata());
        } catch (OrtException e) {
            open.close();
            throw new IllegalArgumentException(source + ": cannot read the model's inputs and outputs: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            open.close();
            throw e;
        }
    }

    /**
     * Loads a model file.
     *
     * @throws IllegalArgumentException when the file cannot be loaded or its input or output is not a 2-D float
     *                                  tensor, naming the file and what was found
     */
    public static OnnxPredictor open(Path model, Options options) {
        return new OnnxPredictor(OrtSessions.open(model, options.session()), model.toString(), options);
    }

    /** Loads a model held in memory; see {@link #open(Path, Options)}. */
    public static OnnxPredictor open(byte[] model, Options options) {
        return new OnnxPredictor(OrtSessions.open(model, options.session()), "in-memory ONNX model", options);
    }

    private String onlyInput(OrtSession s) {
        Set<String> inputs = s.getInputNames();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(source + " has " + inputs.size() + " inputs " + inputs
                    + "; name the one to feed");
        }
        return inputs.iterator().next();
    }

    /** The second dimension of a [N, width] float tensor; -1 when the model leaves it symbolic. */
    private long columns(Map<String, NodeInfo> infos, String name, String what, String unit) {
        NodeInfo info = infos.get(name);
        if (info == null) {
            throw new IllegalArgumentException(source + " has no " + what + " named '" + name + "'; its " + what
                    + "s are " + infos.keySet());
        }
        if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT || t.getShape().length != 2) {
            throw new IllegalArgumentException(source + ": " + what + " '" + name + "' is " + info.getInfo()
                    + "; expected a float tensor of shape [N, " + unit + "]");
        }
        long w = t.getShape()[1];
        if (w <= 0 && what.equals("input")) {
            throw new IllegalArgumentException(source + ": input '" + name + "' has no fixed number of features (shape "
                    + Arrays.toString(t.getShape()) + "); expected [N, features]");
        }
        return w;
    }

    private List<String> labels(List<String> given, long outputs) {
        if (given.isEmpty()) {
            if (outputs <= 0) {
                throw new IllegalArgumentException(source + ": output '" + output + "' has no fixed number of columns;"
                        + " pass its labels");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < outputs; i++) names.add(Integer.toString(i));
            return List.copyOf(names);
        }
        if (outputs > 0 && outputs != given.size()) {
            throw new IllegalArgumentException(source + ": output '" + output + "' has " + outputs + " columns but "
                    + given.size() + " labels were given " + given);
        }
        return given;
    }

    @Override
    public int inputWidth() {
        return width;
    }

    @Override
    public List<String> outputNames() {
        return labels;
    }

    /** The model's {@code metadata_props}, as written by its exporter. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The execution provider the session runs on. */
    public OrtProvider provider() {
        return open.provider();
    }

    /** The session with where it runs and why. */
    public OpenSession session() {
        return open;
    }

    public String inputName() {
        return input;
    }

    public String outputName() {
        return output;
    }

    public int batchSize() {
        return batchSize;
    }

    @Override
    public void predict(float[] rows, int n, float[] out) {
        Predictor.checkShapes(this, rows, n, out);
        if (closed) throw new IllegalStateException(source + ": the predictor is closed");
        if (n == 0) return;
        int k = labels.size();
        int capacity = Math.min(n, batchSize);
        // Direct, native-order memory: ONNX Runtime reads it in place instead of copying it.
        FloatBuffer buffer = ByteBuffer.allocateDirect(capacity * width * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int start = 0; start < n; start += batchSize) {
            int m = Math.min(batchSize, n - start);
            buffer.clear();
            buffer.put(rows, start * width, m * width);
            buffer.flip();
            try (OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.environment(), buffer, new long[] {m, width});
                 OrtSession.Result result = open.session().run(Map.of(input, tensor), requested)) {
                OnnxValue value = result.get(output)
                        .orElseThrow(() -> new IllegalStateException(source + ": no output '" + output + "'"));
                if (!(value instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT) {
                    throw new IllegalStateException(source + ": output '" + output + "' is " + value.getInfo()
                            + ", expected a float tensor");
                }
                long[] shape = t.getInfo().getShape();
                if (shape.length != 2 || shape[0] != m || shape[1] != k) {
                    throw new IllegalStateException(source + ": output '" + output + "' has shape "
                            + Arrays.toString(shape) + " for " + m + " rows, expected [" + m + ", " + k + "]");
                }
                t.getFloatBuffer().get(out, start * k, m * k);
            } catch (OrtException e) {
                throw new IllegalStateException(source + ": ONNX Runtime failed on rows " + start + ".."
                        + (start + m - 1) + " of a call: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        open.close();
    }
}

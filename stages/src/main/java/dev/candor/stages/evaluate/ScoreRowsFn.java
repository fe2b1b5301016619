package dev.candor.stages.evaluate;

import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.DataException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;

/**
 * Encodes dataset rows with the model's {@link FeatureEncoder} and scores them through ONNX Runtime in batches:
 * rows are buffered within a bundle and scored when the buffer is full or the bundle ends, through one flush path.
 * Each instance owns one {@link OnnxPredictor}, opened in {@code @Setup} and closed in {@code @Teardown}; it runs
 * with one intra-op thread because Beam already runs one instance per worker thread.
 *
 * <p>Emits {@link ScoredRows#SCHEMA} records. Fields are plain values (Beam serializes the DoFn); the model file
 * must be readable wherever the DoFn runs.
 */
final class ScoreRowsFn extends DoFn<GenericRecord, GenericRecord> {
    static final String NAMESPACE = "candor.evaluate";
    static final String ROWS_COUNTER = "rows_scored";

    private final String modelFile;
    private final String device;
    private final String input;
    private final String output;
    private final String[] labels;
    private final int batch;
    private final int columnCount;
    private final String[] fields;       // Avro field per schema column the encoder reads, null if unread
    private final int[] encoderColumns;  // per model feature, its schema column
    private final String labelField;
    private final String labelColumn;
    private final String splitFile;

    private transient OnnxPredictor predictor;
    private transient FeatureEncoder encoder;
    private transient Schema scored;
    private transient Map<String, Integer> labelIndex;
    private transient Object[] values;
    private transient float[] features;
    private transient float[] encoded;
    private transient float[] probabilities;
    private transient long[] rows;
    private transient int[] actual;
    private transient int count;
    private transient Counter scoredRows;

    ScoreRowsFn(Path modelFile, String device, ModelMetadata model, DatasetSchema schema, int batch, Path splitFile) {
        this.modelFile = modelFile.toString();
        this.device = device;
        this.input = model.inputName();
        this.output = model.probabilitiesOutput();
        this.labels = model.labels().toArray(String[]::new);
        this.batch = batch;
        this.columnCount = schema.columns().size();
        this.encoderColumns = model.encoder().columnIndexes(schema);
        this.fields = new String[columnCount];
        for (int c : encoderColumns) fields[c] = DatasetSchema.fieldName(c);
        this.labelField = DatasetSchema.fieldName(schema.labelIndex());
        this.labelColumn = schema.label();
        this.splitFile = splitFile.getFileName().toString();
    }

    @Setup
    public void setup() {
        predictor = OnnxPredictor.open(Path.of(modelFile), new OnnxPredictor.Options(input, output, List.of(labels),
                batch, SessionSettings.defaults().withDevice(Device.parse(device)).withIntraOpThreads(1)));
        encoder = ModelMetadata.fromProperties(predictor.metadata()).encoder();
        if (encoder.width() != predictor.inputWidth()) {
            throw new IllegalStateException(modelFile + ": its metadata lists " + encoder.width()
                    + " features but its input '" + input + "' takes " + predictor.inputWidth());
        }
        scored = ScoredRows.SCHEMA;
        labelIndex = new HashMap<>();
        for (int i = 0; i < labels.length; i++) labelIndex.put(labels[i], i);
        values = new Object[columnCount];
        features = new float[batch * encoder.width()];
        encoded = new float[encoder.width()];
        probabilities = new float[batch * labels.length];
        rows = new long[batch];
        actual = new int[batch];
        scoredRows = Metrics.counter(NAMESPACE, ROWS_COUNTER);
    }

    @StartBundle
    public void startBundle() {
        count = 0;
    }

    @ProcessElement
    public void process(@Element GenericRecord record, OutputReceiver<GenericRecord> out) {
        long row = (Long) record.get(Datasets.ROW_FIELD);
        String label = text(record.get(labelField));
        Integer y = labelIndex.get(label);
        if (y == null) {
            throw new DataException(splitFile, row, labelColumn, label,
                    "one of the model's labels " + Arrays.toString(labels) + "; evaluate on data with the label classes"
                            + " the model was trained on");
        }
        for (int c = 0; c < columnCount; c++) {
            if (fields[c] != null) values[c] = normalize(record.get(fields[c]));
        }
        encoder.encode(values, encoderColumns, encoded);
        System.arraycopy(encoded, 0, features, count * encoded.length, encoded.length);
        rows[count] = row;
        actual[count] = y;
        count++;
        if (count == batch) flush(out::output);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
        // Rows come from a bounded Avro read: global window, minimum timestamp.
        flush(r -> context.output(r, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
    }

    @Teardown
    public void teardown() {
        if (predictor != null) predictor.close();
    }

    private void flush(Consumer<GenericRecord> emit) {
        if (count == 0) return;
        int k = labels.length;
        predictor.predict(features, count, probabilities);
        for (int i = 0; i < count; i++) emit.accept(ScoredRows.toRecord(scored, rows[i], actual[i], probabilities, i * k, k));
        scoredRows.inc(count);
        count = 0;
    }

    private static Object normalize(Object v) {
        return v instanceof Utf8 || v instanceof CharSequence ? v.toString() : v;
    }

    private static String text(Object v) {
        return v == null ? "" : v.toString();
    }
}

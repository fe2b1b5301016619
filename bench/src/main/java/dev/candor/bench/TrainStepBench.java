package dev.candor.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OpenSession;
import dev.candor.gpu.session.OrtSessions;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.Param;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.nn.train.Initializer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training samples per second of Candor's compiled train step (the same loop as
 * {@code dev.candor.stages.nn.train.Trainer}: refill the batch, fill lr and step, build the input and pinned-output
 * maps, one {@code OrtSession.run}, swap the two weight sets) for the MLP and CNN of issue 3, one JSON line per
 * (model, threads). {@code bench/torch_train_step.py} measures PyTorch the same way; {@code bench/train-step} runs
 * both and prints the ratios.
 *
 * <p>Usage: {@code train-step [--threads 1,2] [--batch 32] [--seconds 2] [--profile]}. With {@code --profile} it
 * also runs ONNX Runtime's own profiler for a few hundred steps and prints kernel time per operator type.
 */
public final class TrainStepBench {
    private static final Path BREAST = Path.of("examples/breast-cancer/data/breast_cancer_wisconsin.csv");
    private static final Path DIGITS = Path.of("stages/src/test/resources/data/digits_8x8.csv");

    /** One benchmarked model: its layers, input shape, class count and data. */
    record Workload(String name, List<String> layers, TensorShape input, int classes, float[] x, int[] labels) {
        int rows() {
            return labels.length;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> threads = List.of(1);
        int batch = 32;
        double seconds = 2;
        boolean profile = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--profile" -> profile = true;
                default -> throw new IllegalArgumentException("train-step: unknown argument '" + args[i]
                        + "'; expected --threads 1,2 --batch 32 --seconds 2 --profile");
            }
        }
        for (Workload w : List.of(mlp(), cnn())) {
            for (int t : threads) {
                System.out.println(measure(w, t, batch, seconds));
                if (profile) {
                    System.out.println(measure(w, t, batch, seconds, true));
                    profile(w, t, batch);
                }
            }
        }
    }

    static Workload mlp() throws Exception {
        List<String> lines = Files.readAllLines(BREAST);
        int n = lines.size() - 1;
        float[] x = new float[n * 30];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            String[] f = lines.get(r + 1).split(",");
            for (int c = 0; c < 30; c++) x[r * 30 + c] = Float.parseFloat(f[c]);
            y[r] = f[30].equals("malignant") ? 1 : 0;
        }
        // Standardized columns, as a user would feed them; the speed does not depend on it.
        for (int c = 0; c < 30; c++) {
            double s = 0;
            double s2 = 0;
            for (int r = 0; r < n; r++) {
                s += x[r * 30 + c];
                s2 += x[r * 30 + c] * (double) x[r * 30 + c];
            }
            double mean = s / n;
            double sd = Math.sqrt(Math.max(s2 / n - mean * mean, 1e-12));
            for (int r = 0; r < n; r++) x[r * 30 + c] = (float) ((x[r * 30 + c] - mean) / sd);
        }
        return new Workload("mlp", List.of("dense 64 relu"), TensorShape.of(30), 2, x, y);
    }

    static Workload cnn() throws Exception {
        List<String> lines = Files.readAllLines(DIGITS);
        int n = lines.size() - 1;
        float[] x = new float[n * 64];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            String[] f = lines.get(r + 1).split(",");
            for (int c = 0; c < 64; c++) x[r * 64 + c] = Float.parseFloat(f[c]) / 16f;
            y[r] = Integer.parseInt(f[64]);
        }
        return new Workload("cnn", List.of("conv 16 3x3 relu", "maxpool 2", "conv 32 3x3 relu", "flatten", "dense 64 relu"),
                TensorShape.of(1, 8, 8), 10, x, y);
    }

    static CompiledModel compile(Workload w) {
        ModelSpec spec = ModelSpec.of(LayerParser.parseAll(w.layers()), LossSpec.of(LossSpec.Kind.CROSS_ENTROPY),
                OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.001));
        return TrainStepCompiler.compile(spec, w.input(), w.classes(), TrainStepCompiler.Options.TRAINING);
    }

    /** The train loop, timed in three parts: batch filling, map building, and {@code OrtSession.run}. */
    static String measure(Workload w, int threads, int batch, double seconds) throws OrtException {
        return measure(w, threads, batch, seconds, false);
    }

    static String measure(Workload w, int threads, int batch, double seconds, boolean reuseMaps) throws OrtException {
        CompiledModel m = compile(w);
        SessionSettings settings = new SessionSettings(Device.CPU, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (OpenSession step = OrtSessions.open(m.trainStep().toByteArray(), settings); Loop loop = new Loop(m, w, batch)) {
            loop.reuseMaps = reuseMaps;
            loop.steps(step.session(), 300); // warm-up
            loop.reset();
            long t0 = System.nanoTime();
            long deadline = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) loop.steps(step.session(), 50);
            double wall = (System.nanoTime() - t0) / 1e9;
            return String.format(Locale.ROOT, "{\"side\":\"%s\",\"model\":\"%s\",\"threads\":%d,\"batch\":%d,"
                            + "\"steps\":%d,\"samples_per_s\":%.1f,\"run_only_samples_per_s\":%.1f,\"fill_share\":%.4f,"
                            + "\"maps_share\":%.4f,\"run_share\":%.4f,\"us_per_step\":%.2f,\"final_loss\":%.4f}",
                    reuseMaps ? "candor-reused-maps" : "candor", w.name(), threads, batch, loop.steps, loop.steps * batch / wall,
                    loop.steps * batch / (loop.runNanos / 1e9), loop.fillNanos / 1e9 / wall, loop.mapNanos / 1e9 / wall,
                    loop.runNanos / 1e9 / wall, wall * 1e6 / loop.steps, loop.loss.get(0));
        }
    }

    /** ONNX Runtime's profiler over 500 steps: kernel microseconds per operator type, and their share of run time. */
    static void profile(Workload w, int threads, int batch) throws OrtException, java.io.IOException {
        CompiledModel m = compile(w);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            Path prefix = Files.createTempDirectory("candor-ort-profile").resolve(w.name());
            o.enableProfiling(prefix.toString());
            try (OrtSession s = OrtSessions.environment().createSession(m.trainStep().toByteArray(), o); Loop loop = new Loop(m, w, batch)) {
                loop.steps(s, 500);
                Path file = Path.of(s.endProfiling());
                Map<String, Long> byOp = new TreeMap<>();
                long kernels = 0;
                long runs = 0;
                Pattern node = Pattern.compile("\"dur\"\\s*:\\s*(\\d+).*?\"name\"\\s*:\\s*\"[^\"]*_kernel_time\".*?\"op_name\"\\s*:\\s*\"([^\"]*)\"");
                Pattern run = Pattern.compile("\"dur\"\\s*:\\s*(\\d+).*?\"name\"\\s*:\\s*\"model_run\"");
                for (String line : Files.readAllLines(file)) {
                    Matcher k = node.matcher(line);
                    if (k.find()) {
                        long d = Long.parseLong(k.group(1));
                        byOp.merge(k.group(2), d, Long::sum);
                        kernels += d;
                        continue;
                    }
                    Matcher r = run.matcher(line);
                    if (r.find()) runs += Long.parseLong(r.group(1));
                }
                Files.deleteIfExists(file);
                StringBuilder ops = new StringBuilder();
                long total = kernels;
                byOp.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                        .forEach(e -> ops.append(ops.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                                "\"%s\":%.3f", e.getKey(), e.getValue() / (double) total)));
                System.out.println(String.format(Locale.ROOT, "{\"side\":\"candor-profile\",\"model\":\"%s\",\"threads\":%d,"
                                + "\"us_per_run\":%.2f,\"kernel_us_per_run\":%.2f,\"kernel_share_of_run\":%.3f,\"op_share\":{%s}}",
                        w.name(), threads, runs / 500.0, kernels / 500.0, kernels / (double) Math.max(runs, 1), ops));
            }
        }
    }

    /** Trainer's step loop over pre-allocated direct-buffer tensors, with nanoTime splits. */
    static final class Loop implements AutoCloseable {
        final int batch;
        final Workload w;
        final List<String> carried = new ArrayList<>();
        final List<OnnxTensor> owned = new ArrayList<>();
        final Map<OnnxTensor, FloatBuffer> buffers = new java.util.IdentityHashMap<>();
        Map<String, OnnxTensor> a = new LinkedHashMap<>();
        Map<String, OnnxTensor> b = new LinkedHashMap<>();
        final FloatBuffer x;
        final FloatBuffer y;
        final FloatBuffer lr;
        final FloatBuffer stepNo;
        final FloatBuffer loss;
        final OnnxTensor xt;
        final OnnxTensor yt;
        final OnnxTensor lrt;
        final OnnxTensor stept;
        final OnnxTensor losst;
        final int[] order;
        final SplittableRandom random = new SplittableRandom(42);
        int cursor;
        long steps;
        long fillNanos;
        long mapNanos;
        long runNanos;

        /** What a Trainer could do instead of building two maps per step: build both parities' maps once. */
        boolean reuseMaps;
        @SuppressWarnings("unchecked")
        final Map<String, OnnxTensorLike>[] prebuiltInputs = new Map[2];
        @SuppressWarnings("unchecked")
        final Map<String, OnnxValue>[] prebuiltPinned = new Map[2];

        Loop(CompiledModel m, Workload w, int batch) throws OrtException {
            this.batch = batch;
            this.w = w;
            SplittableRandom init = new SplittableRandom(7);
            List<Param> all = new ArrayList<>(m.params());
            all.addAll(m.buffers());
            for (Param p : all) {
                carried.add(p.name());
                a.put(p.name(), tensor(p.dims(), Initializer.values(p, init)));
                b.put(p.name(), tensor(p.dims(), null));
            }
            for (CompiledModel.StateSlot s : m.state()) {
                carried.add(s.name());
                a.put(s.name(), tensor(s.param().dims(), null));
                b.put(s.name(), tensor(s.param().dims(), null));
            }
            int in = w.input().size();
            xt = tensor(new long[] {batch, in}, null);
            yt = tensor(new long[] {batch, w.classes()}, null);
            lrt = tensor(new long[0], new float[] {0.001f});
            stept = tensor(new long[0], null);
            losst = tensor(new long[0], null);
            x = buffers.get(xt);
            y = buffers.get(yt);
            lr = buffers.get(lrt);
            stepNo = buffers.get(stept);
            loss = buffers.get(losst);
            for (int parity = 0; parity < 2; parity++) {
                Map<String, OnnxTensor> read = parity == 0 ? a : b;
                Map<String, OnnxTensor> write = parity == 0 ? b : a;
                Map<String, OnnxTensorLike> ins = new HashMap<>(Map.of(GraphNames.X, xt, GraphNames.Y, yt, GraphNames.LR, lrt,
                        GraphNames.STEP, stept));
                Map<String, OnnxValue> out = new HashMap<>(Map.of(GraphNames.LOSS, losst));
                for (String n : carried) {
                    ins.put(n, read.get(n));
                    out.put(GraphNames.next(n), write.get(n));
                }
                prebuiltInputs[parity] = ins;
                prebuiltPinned[parity] = out;
            }
            order = new int[w.rows()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            cursor = order.length;
        }

        private OnnxTensor tensor(long[] dims, float[] values) throws OrtException {
            long n = 1;
            for (long d : dims) n *= d;
            FloatBuffer buf = ByteBuffer.allocateDirect(Math.toIntExact(n * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
            if (values != null) buf.put(0, values);
            OnnxTensor t = OnnxTensor.createTensor(OrtSessions.environment(), buf, dims);
            owned.add(t);
            buffers.put(t, buf);
            return t;
        }

        void reset() {
            steps = 0;
            fillNanos = 0;
            mapNanos = 0;
            runNanos = 0;
        }

        void steps(OrtSession session, int count) throws OrtException {
            int in = w.input().size();
            int k = w.classes();
            for (int s = 0; s < count; s++) {
                long t0 = System.nanoTime();
                if (cursor + batch > order.length) {
                    for (int i = order.length - 1; i > 0; i--) {
                        int j = random.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    cursor = 0;
                }
                for (int i = 0; i < batch; i++) {
                    int row = order[cursor + i];
                    x.put(i * in, w.x(), row * in, in);
                    for (int c = 0; c < k; c++) y.put(i * k + c, w.labels()[row] == c ? 1f : 0f);
                }
                cursor += batch;
                lr.put(0, 0.001f);
                stepNo.put(0, (float) (steps + 1));
                long t1 = System.nanoTime();
                if (reuseMaps) {
                    int parity = (int) (steps & 1);
                    long t2 = System.nanoTime();
                    session.run(prebuiltInputs[parity], Set.of(), prebuiltPinned[parity]).close();
                    long t3 = System.nanoTime();
                    steps++;
                    fillNanos += t1 - t0;
                    mapNanos += t2 - t1;
                    runNanos += t3 - t2;
                    continue;
                }
                Map<String, OnnxTensorLike> inputs = new HashMap<>();
                inputs.put(GraphNames.X, xt);
                inputs.put(GraphNames.Y, yt);
                inputs.put(GraphNames.LR, lrt);
                inputs.put(GraphNames.STEP, stept);
                Map<String, OnnxValue> pinned = new HashMap<>();
                pinned.put(GraphNames.LOSS, losst);
                for (String n : carried) {
                    inputs.put(n, a.get(n));
                    pinned.put(GraphNames.next(n), b.get(n));
                }
                long t2 = System.nanoTime();
                session.run(inputs, Set.of(), pinned).close();
                long t3 = System.nanoTime();
                Map<String, OnnxTensor> swap = a;
                a = b;
                b = swap;
                steps++;
                fillNanos += t1 - t0;
                mapNanos += t2 - t1;
                runNanos += t3 - t2;
            }
        }

        @Override
        public void close() {
            owned.forEach(OnnxTensor::close);
        }
    }

    private TrainStepBench() {
    }
}

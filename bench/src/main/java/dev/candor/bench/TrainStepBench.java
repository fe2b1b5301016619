package dev.candor.bench;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OrtSessions;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.nn.train.NnData;
import dev.candor.stages.nn.train.StepGroup;
import dev.candor.stages.nn.train.TrainStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training samples per second of Candor's compiled train step, run through the same
 * {@link TrainStep} as {@code dev.candor.stages.nn.train.Trainer} (refill the batch buffers, one
 * {@code OrtSession.run} on the input and pinned-output maps the step built once, swap the two weight sets), for the
 * MLP and CNN of issue 3, one JSON line per (model, threads). {@code maps_share} is 0: {@link TrainStep} builds its
 * maps once per batch size. {@code bench/torch_train_step.py} measures PyTorch the same way; {@code bench/train-step} runs
 * both and prints the ratios.
 *
 * <p>Usage: {@code train-step [--threads 1,2] [--batch 32] [--seconds 2] [--steps-per-call 1,8] [--profile]}. With
 * {@code --steps-per-call K} (K &gt; 1) K steps run in one {@code OrtSession.run} of the ONNX {@code Loop} graph
 * ({@link StepGroup}), as {@code train.onnx} runs them with {@code steps_per_call: K}; one JSON line per K. With
 * {@code --profile} it also runs ONNX Runtime's own profiler for a few hundred steps and prints kernel time per
 * operator type.
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
        List<Integer> perCall = List.of(1);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--steps-per-call" -> perCall = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--profile" -> profile = true;
                default -> throw new IllegalArgumentException("train-step: unknown argument '" + args[i]
                        + "'; expected --threads 1,2 --batch 32 --seconds 2 --steps-per-call 1,8 --profile");
            }
        }
        for (Workload w : List.of(mlp(), cnn())) {
            for (int t : threads) {
                for (int k : perCall) System.out.println(measure(w, t, batch, seconds, k));
                if (profile) profile(w, t, batch);
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

    /** The train loop, timed in two parts: batch filling and {@link TrainStep#run}, K steps per run. */
    static String measure(Workload w, int threads, int batch, double seconds, int k) {
        if (k < 1) throw new IllegalArgumentException("train-step: --steps-per-call must be >= 1, got " + k);
        CompiledModel m = compile(w);
        SessionSettings settings = new SessionSettings(Device.CPU, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (TrainStep step = TrainStep.open(m, settings, new SplittableRandom(7), k > 1)) {
            Loop loop = new Loop(step, w, batch, k);
            loop.steps(300); // warm-up
            loop.reset();
            long t0 = System.nanoTime();
            long deadline = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) loop.steps(50);
            double wall = (System.nanoTime() - t0) / 1e9;
            return String.format(Locale.ROOT, "{\"side\":\"candor\",\"model\":\"%s\",\"threads\":%d,\"batch\":%d,"
                            + "\"steps_per_call\":%d,\"steps\":%d,\"samples_per_s\":%.1f,\"run_only_samples_per_s\":%.1f,\"fill_share\":%.4f,"
                            + "\"maps_share\":%.4f,\"run_share\":%.4f,\"us_per_step\":%.2f,\"final_loss\":%.4f}",
                    w.name(), threads, batch, k, loop.steps, loop.steps * batch / wall,
                    loop.steps * batch / (loop.runNanos / 1e9), loop.fillNanos / 1e9 / wall, 0.0,
                    loop.runNanos / 1e9 / wall, wall * 1e6 / loop.steps, loop.loss);
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
            try (OrtSession s = OrtSessions.environment().createSession(m.trainStep().toByteArray(), o);
                 TrainStep step = TrainStep.over(m, s, new SplittableRandom(7))) {
                new Loop(step, w, batch, 1).steps(500);
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

    /**
     * Trainer's loop: a reshuffle per pass over the rows, the batch refilled in place, one {@link TrainStep#run}; or,
     * with K &gt; 1, K batches filled into a {@link StepGroup} and one {@link TrainStep#run(StepGroup)}.
     */
    static final class Loop {
        final TrainStep step;
        final TrainStep.Batch batch;
        final StepGroup group;
        final NnData data;
        final int[] order;
        final SplittableRandom random = new SplittableRandom(42);
        int cursor;
        long steps;
        long fillNanos;
        long runNanos;
        float loss;

        Loop(TrainStep step, Workload w, int batch, int k) {
            this.step = step;
            this.batch = step.batch(batch);
            this.group = k > 1 ? step.group(k, batch) : null;
            this.data = NnData.classes(w.x(), w.labels(), w.input().size(), w.classes());
            order = new int[w.rows()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            cursor = order.length;
        }

        void reset() {
            steps = 0;
            fillNanos = 0;
            runNanos = 0;
        }

        /** Runs at least {@code count} steps (whole groups of K). */
        void steps(int count) {
            if (group != null) {
                for (int s = 0; s < count; s += group.steps()) {
                    long t0 = System.nanoTime();
                    for (int j = 0; j < group.steps(); j++) {
                        reshuffleIfDone();
                        group.fill(j, data, order, cursor);
                        group.dropout(j, random);
                        group.lr(j, 0.001);
                        cursor += batch.size();
                    }
                    long t1 = System.nanoTime();
                    step.run(group);
                    runNanos += System.nanoTime() - t1;
                    fillNanos += t1 - t0;
                    steps += group.steps();
                    loss = group.loss(group.steps() - 1);
                }
                return;
            }
            for (int s = 0; s < count; s++) {
                long t0 = System.nanoTime();
                reshuffleIfDone();
                batch.fill(data, order, cursor);
                batch.dropout(random);
                cursor += batch.size();
                long t1 = System.nanoTime();
                loss = step.run(batch, 0.001);
                runNanos += System.nanoTime() - t1;
                fillNanos += t1 - t0;
                steps++;
            }
        }

        private void reshuffleIfDone() {
            if (cursor + batch.size() > order.length) {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                cursor = 0;
            }
        }
    }

    private TrainStepBench() {
    }
}

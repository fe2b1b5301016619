package dev.candor.stages.nn;

import dev.candor.gpu.session.Device;
import dev.candor.stages.nn.compile.LayerStack;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LayerSpec;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.SizeLimitException;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.Required;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Configuration of {@code train.onnx}: a neural network described by layer strings, trained in ONNX Runtime.
 * Every key but {@code layers} is optional. The layer strings, the loss and the optimizer name are parsed here, so
 * a mistake in them is a spec error at its key, before anything runs.
 */
@Doc("Trains a neural network (MLP or CNN) in ONNX Runtime and writes its inference graph as the model")
public record OnnxTrainConfig(
        @Required @Doc("Hidden layers, e.g. [dense 64 relu, dropout 0.2, dense 32 relu]; the output layer follows from the label") List<String> layers,
        @Doc("cross-entropy (default), binary-cross-entropy (two classes), mse or hinge") String loss,
        @Doc("Weight per class name (classes left out weigh 1)") Map<String, Double> classWeights,
        @Doc("The optimizer (default adam, lr 0.001)") Optimizer optimizer,
        @Doc("Passes over the train split (default 50)") Integer epochs,
        @Doc("Rows per training step (default 64)") Integer batch,
        @Doc("Stop when a validation metric stops improving and keep the best epoch's weights (default: off)") EarlyStop earlyStopping,
        @Doc("Learning-rate schedule (default constant, no warm-up)") LrSchedule schedule,
        @Doc("L1 penalty on weights (default 0)") Double l1,
        @Doc("L2 penalty on weights (default 0)") Double l2,
        @Doc("Clip gradients to this global norm (default 0 = off)") Double clipNorm,
        @Doc("Image shape [channels, height, width] of the features, for conv layers (default: a flat vector)") List<Integer> inputShape,
        @Doc("auto, cpu, cuda or cuda:N (default: the pipeline's device)") String device,
        @Doc("ONNX Runtime threads (default 1: results are bit-identical for one thread count)") Integer threads,
        @Doc("Train with differential privacy (DP-SGD): {epsilon, delta, clip} or {noise_multiplier, delta, clip} (default: off)") Privacy privacy,
        @Doc("Train steps per ONNX Runtime call (default 1); K > 1 runs K batches inside one ONNX Loop, which keeps the"
                + " parameters on a GPU between them; same results as 1. Not with privacy") Integer stepsPerCall) {

    public static final String DEFAULT_LOSS = "cross-entropy";
    public static final int DEFAULT_EPOCHS = 50;
    public static final int DEFAULT_BATCH = 64;

    public OnnxTrainConfig {
        if (layers == null) {
            throw new ConfigException("layers", "is required: the hidden layers, e.g. [dense 64 relu, dropout 0.2]"
                    + " (write [] for a linear model)");
        }
        layers = List.copyOf(layers);
        parsedLayers(layers);
        loss = loss == null ? DEFAULT_LOSS : loss;
        classWeights = classWeights == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(classWeights));
        LossSpec.Kind lossKind;
        try {
            lossKind = LossSpec.parse(loss, List.of()).kind();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("loss", e.getMessage());
        }
        for (Map.Entry<String, Double> w : classWeights.entrySet()) {
            if (w.getValue() == null || !(w.getValue() > 0) || w.getValue().isInfinite()) {
                throw new ConfigException("class_weights", "the weight of class '" + w.getKey()
                        + "' must be a finite number > 0, got " + w.getValue());
            }
        }
        if (lossKind == LossSpec.Kind.MSE && !classWeights.isEmpty()) {
            throw new ConfigException("class_weights", "loss mse takes no class weights; remove class_weights or use"
                    + " cross-entropy");
        }
        if (lossKind == LossSpec.Kind.MSE && earlyStopping != null && earlyStopping.monitor().equals("val_accuracy")) {
            throw new ConfigException("early_stopping", "monitor val_accuracy is not measured under loss mse (the"
                    + " trainer reports accuracy for classification losses); monitor val_loss instead");
        }
        optimizer = optimizer == null ? Optimizer.defaults() : optimizer;
        epochs = epochs == null ? DEFAULT_EPOCHS : epochs;
        batch = batch == null ? DEFAULT_BATCH : batch;
        if (epochs < 1 || epochs > 100_000) throw new ConfigException("epochs", "must be in [1, 100000], got " + epochs);
        if (batch < 1 || batch > 1_000_000) throw new ConfigException("batch", "must be in [1, 1000000], got " + batch);
        schedule = schedule == null ? LrSchedule.constant() : schedule;
        l1 = nonNegative("l1", l1);
        l2 = nonNegative("l2", l2);
        clipNorm = nonNegative("clip_norm", clipNorm);
        inputShape = inputShape == null ? List.of() : List.copyOf(inputShape);
        checkInputShape(inputShape, "input_shape");
        checkSize(parsedLayers(layers), inputShape);
        if (!inputShape.isEmpty() && (long) batch * new TensorShape(inputShape).size() > TensorShape.MAX_TENSOR_VALUES) {
            throw new ConfigException("batch", String.format("a batch of %,d examples of shape %s holds more than %,d"
                    + " values (2 GB); must be at most %,d for this input_shape", batch, inputShape,
                    TensorShape.MAX_TENSOR_VALUES, TensorShape.MAX_TENSOR_VALUES / new TensorShape(inputShape).size()));
        }
        if (device != null) {
            try {
                Device.parse(device);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("device", e.getMessage());
            }
        }
        threads = threads == null ? 1 : threads;
        if (threads < 1 || threads > 256) throw new ConfigException("threads", "must be in [1, 256], got " + threads);
        stepsPerCall = stepsPerCall == null ? 1 : stepsPerCall;
        if (stepsPerCall < 1 || stepsPerCall > 10_000) {
            throw new ConfigException("steps_per_call", "must be in [1, 10000], got " + stepsPerCall);
        }
        if (stepsPerCall > 1 && privacy != null) {
            throw new ConfigException("steps_per_call", "must be 1 with privacy: DP-SGD samples each batch by Poisson"
                    + " sampling, so batch sizes vary and steps cannot be stacked into one call; remove steps_per_call");
        }
    }

    /** Without steps per call (the form before {@code steps_per_call} existed). */
    public OnnxTrainConfig(List<String> layers, String loss, Map<String, Double> classWeights, Optimizer optimizer,
                           Integer epochs, Integer batch, EarlyStop earlyStopping, LrSchedule schedule, Double l1,
                           Double l2, Double clipNorm, List<Integer> inputShape, String device, Integer threads,
                           Privacy privacy) {
        this(layers, loss, classWeights, optimizer, epochs, batch, earlyStopping, schedule, l1, l2, clipNorm, inputShape,
                device, threads, privacy, null);
    }

    /** The same config running {@code k} train steps per ONNX Runtime call. */
    public OnnxTrainConfig withStepsPerCall(int k) {
        return new OnnxTrainConfig(layers, loss, classWeights, optimizer, epochs, batch, earlyStopping, schedule, l1, l2,
                clipNorm, inputShape, device, threads, privacy, k);
    }

    /** Without privacy (the form before {@code privacy} existed). */
    public OnnxTrainConfig(List<String> layers, String loss, Map<String, Double> classWeights, Optimizer optimizer,
                           Integer epochs, Integer batch, EarlyStop earlyStopping, LrSchedule schedule, Double l1,
                           Double l2, Double clipNorm, List<Integer> inputShape, String device, Integer threads) {
        this(layers, loss, classWeights, optimizer, epochs, batch, earlyStopping, schedule, l1, l2, clipNorm, inputShape,
                device, threads, null, null);
    }

    /** A config with every default and these layers. */
    public static OnnxTrainConfig of(List<String> layers) {
        return new OnnxTrainConfig(layers, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same config trained with these privacy settings. */
    public OnnxTrainConfig withPrivacy(Privacy p) {
        return new OnnxTrainConfig(layers, loss, classWeights, optimizer, epochs, batch, earlyStopping, schedule, l1, l2,
                clipNorm, inputShape, device, threads, p, stepsPerCall);
    }

    /** The layer strings, parsed. */
    public List<LayerSpec> layerSpecs() {
        return parsedLayers(layers);
    }

    /** Whether any layer is a convolution (the model type is then {@code cnn}, else {@code mlp}). */
    public boolean convolutional() {
        return layerSpecs().stream().anyMatch(l -> l instanceof LayerSpec.Conv2d);
    }

    private static List<LayerSpec> parsedLayers(List<String> layers) {
        try {
            return LayerParser.parseAll(layers);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("layers", e.getMessage());
        }
    }

    /**
     * An image shape: three dimensions, each at least 1, holding at most {@link TensorShape#MAX_VALUES} values.
     *
     * @param key the key to blame, e.g. {@code input_shape} (explain.gradients also checks recorded shapes)
     */
    public static void checkInputShape(List<Integer> inputShape, String key) {
        if (inputShape.isEmpty()) return;
        if (inputShape.size() != 3 || inputShape.stream().anyMatch(d -> d == null || d < 1)) {
            throw new ConfigException("input_shape", (key.equals("input_shape") ? "" : key + ": ")
                    + "must be [channels, height, width], each >= 1, got " + inputShape);
        }
        try {
            new TensorShape(inputShape);
        } catch (SizeLimitException e) {
            throw new ConfigException("input_shape", (key.equals("input_shape") ? "" : key + ": ") + e.getMessage());
        }
    }

    /**
     * Refuses layers too large to train before any data is read. The feature count is known only then, so a flat
     * input is counted as one feature: the fewest parameters these layers can have. Shape mistakes that depend on the
     * data are left to training, which reports them with the data's shape.
     */
    private static void checkSize(List<LayerSpec> specs, List<Integer> inputShape) {
        TensorShape input = inputShape.isEmpty() ? TensorShape.of(1) : new TensorShape(inputShape);
        try {
            LayerStack.build(specs, input, 1, LossSpec.of(LossSpec.Kind.MSE));
        } catch (SizeLimitException e) {
            throw new ConfigException("layers", e.getMessage() + (inputShape.isEmpty()
                    ? " (counted with a single input feature, the fewest the data can give)" : ""));
        } catch (IllegalArgumentException shapeDependsOnTheData) {
            // reported by training, with the data's shape
        }
    }

    private static double nonNegative(String key, Double value) {
        double v = value == null ? 0 : value;
        if (!(v >= 0) || Double.isInfinite(v)) throw new ConfigException(key, "must be a number >= 0, got " + value);
        return v;
    }

    /**
     * DP-SGD (Abadi et al. 2016, "Deep Learning with Differential Privacy"): each example's gradient is clipped to
     * {@code clip}, Gaussian noise of standard deviation σ·clip is added to the sum, and batches are Poisson
     * samples. Give either a target {@code epsilon} (the smallest σ meeting it for the planned steps is found by
     * the Rényi-DP accountant, Mironov 2017) or a {@code noise_multiplier} σ (the ε spent is reported).
     */
    @Doc("Differential privacy with DP-SGD")
    public record Privacy(
            @Doc("Target ε for the whole training; the noise multiplier is chosen to meet it (give this or noise_multiplier)") Double epsilon,
            @Doc("Noise multiplier σ = noise standard deviation / clip; ε is reported (give this or epsilon)") Double noiseMultiplier,
            @Doc("δ of (ε, δ)-DP (default 1e-5; choose it below 1 / training rows)") Double delta,
            @Doc("Per-example gradient clip norm (default 1.0)") Double clip) {

        public static final double DEFAULT_DELTA = 1e-5;

        public Privacy {
            if ((epsilon == null) == (noiseMultiplier == null)) {
                throw new ConfigException(epsilon == null ? "epsilon" : "noise_multiplier", "give exactly one of epsilon"
                        + " (the noise is chosen to meet it) and noise_multiplier (the epsilon spent is reported), got "
                        + (epsilon == null ? "neither" : "both"));
            }
            if (epsilon != null && (!(epsilon > 0) || epsilon.isInfinite())) {
                throw new ConfigException("epsilon", "must be a finite number > 0, got " + epsilon);
            }
            if (noiseMultiplier != null && (!(noiseMultiplier > 0) || noiseMultiplier.isInfinite())) {
                throw new ConfigException("noise_multiplier", "must be a finite number > 0, got " + noiseMultiplier);
            }
            delta = delta == null ? DEFAULT_DELTA : delta;
            if (!(delta > 0 && delta < 1)) throw new ConfigException("delta", "must be in (0, 1), got " + delta);
            clip = clip == null ? 1.0 : clip;
            if (!(clip > 0) || clip.isInfinite()) throw new ConfigException("clip", "must be a finite number > 0, got " + clip);
        }
    }

    /** The optimizer; hyperparameters left out take PyTorch's defaults (see {@link OptimizerSpec}). */
    @Doc("The optimizer and its hyperparameters")
    public record Optimizer(
            @Doc("sgd, momentum, nesterov, adam (default), adamw, rmsprop or adagrad") String name,
            @Doc("Learning rate (default 0.001)") Double lr,
            @Doc("Weight decay on weights, not biases (default 0)") Double weightDecay,
            @Doc("momentum, nesterov: momentum (default 0.9)") Double momentum,
            @Doc("adam, adamw: first-moment decay (default 0.9)") Double beta1,
            @Doc("adam, adamw: second-moment decay (default 0.999)") Double beta2,
            @Doc("rmsprop: squared-gradient decay (default 0.99)") Double rho,
            @Doc("adam, adamw, rmsprop, adagrad: denominator epsilon (default 1e-8, adagrad 1e-10)") Double eps) {

        public Optimizer {
            name = name == null ? "adam" : name;
            OptimizerSpec.Kind kind;
            try {
                kind = OptimizerSpec.kindOf(name);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("name", e.getMessage());
            }
            OptimizerSpec d = OptimizerSpec.defaults(kind, 0.001);
            lr = lr == null ? d.lr() : lr;
            weightDecay = weightDecay == null ? 0.0 : weightDecay;
            momentum = momentum == null ? d.momentum() : momentum;
            beta1 = beta1 == null ? d.beta1() : beta1;
            beta2 = beta2 == null ? d.beta2() : beta2;
            rho = rho == null ? d.rho() : rho;
            eps = eps == null ? d.eps() : eps;
            if (!(lr > 0) || Double.isInfinite(lr)) throw new ConfigException("lr", "must be a number > 0, got " + lr);
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new ConfigException("weight_decay", "must be a number >= 0, got " + weightDecay);
            }
            unit("momentum", momentum);
            unit("beta1", beta1);
            unit("beta2", beta2);
            unit("rho", rho);
            if (!(eps > 0) || eps.isInfinite()) throw new ConfigException("eps", "must be a finite number > 0, got " + eps);
        }

        public static Optimizer defaults() {
            return new Optimizer(null, null, null, null, null, null, null, null);
        }

        /** The compiler's description of this optimizer. */
        public OptimizerSpec spec() {
            return new OptimizerSpec(OptimizerSpec.kindOf(name), lr, weightDecay, momentum, beta1, beta2, rho, eps);
        }

        private static void unit(String key, double v) {
            if (!(v >= 0 && v < 1)) throw new ConfigException(key, "must be in [0, 1), got " + v);
        }
    }

    /** Early stopping on a validation metric; the best epoch's weights are kept. */
    @Doc("Early stopping on a validation metric")
    public record EarlyStop(
            @Doc("val_loss (default) or val_accuracy") String monitor,
            @Doc("Epochs without improvement before stopping (default 10)") Integer patience,
            @Doc("Smallest change that counts as an improvement (default 0)") Double minDelta) {

        public EarlyStop {
            monitor = monitor == null ? "val_loss" : monitor;
            if (!monitor.equals("val_loss") && !monitor.equals("val_accuracy")) {
                throw new ConfigException("monitor", "must be val_loss or val_accuracy, got '" + monitor + "'");
            }
            patience = patience == null ? 10 : patience;
            if (patience < 1) throw new ConfigException("patience", "must be >= 1, got " + patience);
            minDelta = minDelta == null ? 0.0 : minDelta;
            if (!(minDelta >= 0)) throw new ConfigException("min_delta", "must be >= 0, got " + minDelta);
        }
    }

    /** The learning rate over epochs: optional linear warm-up, then constant, step decay or cosine annealing. */
    @Doc("Learning-rate schedule")
    public record LrSchedule(
            @Doc("constant (default), step or cosine") String kind,
            @Doc("Epochs of linear warm-up from lr/steps to lr (default 0)") Integer warmupEpochs,
            @Doc("step: epochs between decays (default 10)") Integer stepEpochs,
            @Doc("step: factor per decay, in (0, 1] (default 0.1)") Double gamma,
            @Doc("cosine: the final learning rate (default 0)") Double minLr) {

        public LrSchedule {
            kind = kind == null ? "constant" : kind;
            if (!List.of("constant", "step", "cosine").contains(kind)) {
                throw new ConfigException("kind", "must be constant, step or cosine, got '" + kind + "'");
            }
            warmupEpochs = warmupEpochs == null ? 0 : warmupEpochs;
            if (warmupEpochs < 0) throw new ConfigException("warmup_epochs", "must be >= 0, got " + warmupEpochs);
            stepEpochs = stepEpochs == null ? 10 : stepEpochs;
            if (stepEpochs < 1) throw new ConfigException("step_epochs", "must be >= 1, got " + stepEpochs);
            gamma = gamma == null ? 0.1 : gamma;
            if (!(gamma > 0 && gamma <= 1)) throw new ConfigException("gamma", "must be in (0, 1], got " + gamma);
            minLr = minLr == null ? 0.0 : minLr;
            if (!(minLr >= 0)) throw new ConfigException("min_lr", "must be >= 0, got " + minLr);
        }

        public static LrSchedule constant() {
            return new LrSchedule(null, null, null, null, null);
        }
    }
}

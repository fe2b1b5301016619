package dev.candor.gpu.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place in Candor that creates ONNX Runtime sessions: one shared {@link OrtEnvironment}, thread and
 * optimization settings, and the execution provider chosen from a {@link Device}.
 *
 * <ul>
 *   <li>{@code cpu}: the CPU provider.</li>
 *   <li>{@code cuda[:N]}: the CUDA provider on GPU N, or a clear error when this build of ONNX Runtime has no
 *       CUDA provider (the default {@code onnxruntime} artifact has none; {@code -Pcuda} swaps in
 *       {@code onnxruntime_gpu}) or the provider cannot start (no CUDA 12 / cuDNN 9 libraries, no GPU).</li>
 *   <li>{@code auto}: CUDA on GPU 0 when the provider is present and starts, else CPU. The choice is logged once
 *       per process, at INFO, with its reason; once CUDA failed to start it is not tried again.</li>
 * </ul>
 */
public final class OrtSessions {
    private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

    static final String NO_CUDA = "device '%s' was asked for but this build of ONNX Runtime has no CUDA provider:"
            + " build with -Pcuda and install CUDA 12 + cuDNN 9, or use device: auto";

    private static final AtomicBoolean AUTO_LOGGED = new AtomicBoolean();
    /** Lines logged about the auto choice; read by tests to check there is exactly one per process. */
    static final AtomicInteger AUTO_LOG_LINES = new AtomicInteger();
    /** Set when CUDA was present but failed to start under auto, so later sessions go straight to CPU. */
    private static volatile String autoCudaFailure;

    private OrtSessions() {
    }

    /** The process-wide ONNX Runtime environment (ONNX Runtime allows one). */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "candor");
    }

    /** The execution providers this build of ONNX Runtime carries (not whether a GPU is present). */
    public static Set<OrtProvider> availableProviders() {
        return OrtEnvironment.getAvailableProviders();
    }

    /**
     * Opens a model file.
     *
     * @throws IllegalArgumentException when the file is missing or not a model ONNX Runtime can load, or when the
     *                                  device asks for CUDA this build does not have
     * @throws IllegalStateException    when the CUDA provider is present but cannot start on an explicit cuda device
     */
    public static OpenSession open(Path model, SessionSettings settings) {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("ONNX model file " + model + " does not exist or is not a file");
        }
        return open(model.toString(), settings, (env, options) -> env.createSession(model.toString(), options));
    }

    /** Opens a model held in memory; see {@link #open(Path, SessionSettings)}. */
    public static OpenSession open(byte[] model, SessionSettings settings) {
        return open("in-memory model (" + model.length + " bytes)", settings, (env, options) -> env.createSession(model, options));
    }

    @FunctionalInterface
    private interface Creator {
        OrtSession create(OrtEnvironment env, SessionOptions options) throws OrtException;
    }

    /** The provider a device setting asks for, before any attempt to start it. */
    record Choice(OrtProvider provider, int deviceIndex, String reason) { }

    /**
     * Chooses the execution provider for a device from the providers a build has. Pure: no session is created,
     * so the choice is testable on a machine without a GPU.
     *
     * @throws IllegalArgumentException when the device asks for CUDA and {@code available} lacks it
     */
    static Choice choose(Device device, Set<OrtProvider> available) {
        boolean cuda = available.contains(OrtProvider.CUDA);
        return switch (device.kind()) {
            case CPU -> new Choice(OrtProvider.CPU, 0, "asked for cpu");
            case CUDA -> {
                if (!cuda) throw new IllegalArgumentException(String.format(NO_CUDA, device));
                yield new Choice(OrtProvider.CUDA, device.index(), "asked for " + device);
            }
            case AUTO -> cuda
                    ? new Choice(OrtProvider.CUDA, 0, "auto: this build of ONNX Runtime has a CUDA provider")
                    : new Choice(OrtProvider.CPU, 0, "auto: this build of ONNX Runtime has no CUDA provider"
                        + " (build with -Pcuda for GPU support)");
        };
    }

    private static OpenSession open(String what, SessionSettings settings, Creator creator) {
        OrtEnvironment env = environment();
        Device device = settings.device();
        boolean auto = device.kind() == Device.Kind.AUTO;
        Choice choice = choose(device, availableProviders());
        String failure = autoCudaFailure;
        if (auto && choice.provider() == OrtProvider.CUDA && failure != null) {
            choice = new Choice(OrtProvider.CPU, 0, "auto: the CUDA provider did not start (" + failure + ")");
        }
        if (choice.provider() == OrtProvider.CUDA) {
            try (SessionOptions options = options(settings)) {
                options.addCUDA(choice.deviceIndex());
                OrtSession session = creator.create(env, options);
                logAuto(device, choice);
                return new OpenSession(session, OrtProvider.CUDA, choice.deviceIndex(), choice.reason());
            } catch (OrtException e) {
                // The CUDA libraries load when the provider is added or the session created; either can fail.
                if (!auto) {
                    throw new IllegalStateException("device '" + device + "': ONNX Runtime could not open " + what
                            + " with the CUDA provider on GPU " + choice.deviceIndex() + " (" + e.getMessage()
                            + "); install CUDA 12 + cuDNN 9 and check the GPU number, or use device: auto", e);
                }
                autoCudaFailure = e.getMessage();
                choice = new Choice(OrtProvider.CPU, 0, "auto: the CUDA provider did not start (" + e.getMessage() + ")");
            }
        }
        try (SessionOptions options = options(settings)) {
            OrtSession session = create(what, creator, env, options);
            logAuto(device, choice);
            return new OpenSession(session, OrtProvider.CPU, 0, choice.reason());
        } catch (OrtException e) {
            throw new IllegalStateException("cannot set up ONNX Runtime session options: " + e.getMessage(), e);
        }
    }

    private static SessionOptions options(SessionSettings settings) throws OrtException {
        SessionOptions options = new SessionOptions();
        options.setIntraOpNumThreads(settings.intraOpThreads());
        // Operators run one after another (sequential mode), so inter-op threads would only sit idle.
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(settings.optimization());
        return options;
    }

    private static OrtSession create(String what, Creator creator, OrtEnvironment env, SessionOptions options) {
        try {
            return creator.create(env, options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load " + what + ": " + e.getMessage(), e);
        }
    }

    private static void logAuto(Device device, Choice choice) {
        if (device.kind() != Device.Kind.AUTO || !AUTO_LOGGED.compareAndSet(false, true)) return;
        AUTO_LOG_LINES.incrementAndGet();
        LOG.info("ONNX Runtime device auto: using {} because {}",
                choice.provider() == OrtProvider.CUDA ? "CUDA GPU " + choice.deviceIndex() : "the CPU",
                choice.reason().substring("auto: ".length()));
    }
}

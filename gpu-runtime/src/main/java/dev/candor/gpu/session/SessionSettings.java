package dev.candor.gpu.session;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How {@link OrtSessions} opens a session.
 *
 * @param device         where to run
 * @param intraOpThreads threads ONNX Runtime uses inside one operator (default: the number of cores). Give 1 when
 *                       the caller already runs many sessions in parallel (a Beam pipeline), so threads do not
 *                       compete for the cores.
 * @param optimization   ONNX Runtime's graph optimization level (default: all)
 */
public record SessionSettings(Device device, int intraOpThreads, OptLevel optimization) {
    public SessionSettings {
        if (device == null) throw new IllegalArgumentException("session settings need a device (auto, cpu, cuda, cuda:N)");
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be >= 1, got " + intraOpThreads);
        }
        if (optimization == null) optimization = OptLevel.ALL_OPT;
    }

    /** Device auto, one intra-op thread per core, all graph optimizations. */
    public static SessionSettings defaults() {
        return new SessionSettings(Device.AUTO, Math.max(1, Runtime.getRuntime().availableProcessors()), OptLevel.ALL_OPT);
    }

    public SessionSettings withDevice(Device d) {
        return new SessionSettings(d, intraOpThreads, optimization);
    }

    public SessionSettings withIntraOpThreads(int threads) {
        return new SessionSettings(device, threads, optimization);
    }

    public SessionSettings withOptimization(OptLevel level) {
        return new SessionSettings(device, intraOpThreads, level);
    }
}

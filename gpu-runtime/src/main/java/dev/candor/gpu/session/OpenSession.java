package dev.candor.gpu.session;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;

/**
 * An ONNX Runtime session together with where it runs.
 *
 * @param session     the session; {@link OrtSession#run} is safe to call from several threads at once
 * @param provider    the execution provider it got: {@link OrtProvider#CPU} or {@link OrtProvider#CUDA}
 * @param deviceIndex the CUDA device number when the provider is CUDA; 0 otherwise
 * @param reason      why this provider, in words for logs and provenance ("asked for cpu", "auto: this build of
 *                    ONNX Runtime has no CUDA provider")
 */
public record OpenSession(OrtSession session, OrtProvider provider, int deviceIndex, String reason)
        implements AutoCloseable {

    /** The provider and device in a user's words: {@code cpu} or {@code cuda:N}. */
    public String where() {
        return provider == OrtProvider.CUDA ? "cuda:" + deviceIndex : "cpu";
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}

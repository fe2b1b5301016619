package dev.candor.explain.gradients;

/**
 * A differentiable model seen from outside: the gradient of one output column with respect to the inputs, for a
 * batch of rows. Gradient explainers (saliency, Integrated Gradients) work through this interface, so they know
 * nothing of ONNX. Implementations are deterministic: the same rows give the same gradients.
 */
@FunctionalInterface
public interface Gradient {
    /**
     * @param inputs     rows of the model's input width
     * @param classIndex the output column differentiated
     * @return one gradient row per input row: {@code ∂ output[classIndex] / ∂ input[j]}
     */
    double[][] gradient(double[][] inputs, int classIndex);
}

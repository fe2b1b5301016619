package dev.candor.stages.nn.compile;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.TensorShape;
import java.util.List;
import java.util.Optional;

/**
 * The compiled graphs of one model and what a trainer must feed them.
 *
 * <p>Train step: inputs {@link GraphNames#X}, {@link GraphNames#Y}, {@link GraphNames#LR},
 * {@link GraphNames#STEP}, every parameter and buffer (by its name), every optimizer state tensor, every
 * dropout mask; outputs {@link GraphNames#LOSS}, {@link GraphNames#OBJECTIVE}, {@link GraphNames#PREDICTIONS},
 * and {@link GraphNames#next} of every parameter, buffer and state tensor (and gradients when asked for).
 * Eval: inputs X, Y, parameters and buffers; outputs LOSS and PREDICTIONS.
 *
 * @param layers the compiled layers, the output layer last
 * @param params trainable parameters in a fixed order
 * @param buffers non-trainable state updated by the train step (batch-norm running statistics)
 * @param state optimizer state tensors, each shaped like its parameter
 * @param masks dropout masks the trainer draws for each step
 * @param weighted whether the train step takes {@link GraphNames#WEIGHTS}, each row's example weight [N, 1]
 * @param privacy  DP-SGD's settings when compiled with it: the train step then also takes
 *                 {@link GraphNames#noise} of every parameter and outputs {@link GraphNames#CLIPPED_NORMS}
 */
public record CompiledModel(ModelSpec spec, TensorShape input, int outputs, boolean doublePrecision,
                            List<Layer> layers, List<Param> params, List<Param> buffers, List<StateSlot> state,
                            List<MaskSlot> masks, ModelProto trainStep, ModelProto eval, boolean weighted,
                            Optional<DpSgd> privacy) {
    public CompiledModel {
        privacy = privacy == null ? Optional.empty() : privacy;
        layers = List.copyOf(layers);
        params = List.copyOf(params);
        buffers = List.copyOf(buffers);
        state = List.copyOf(state);
        masks = List.copyOf(masks);
    }

    /** One optimizer state tensor: its input name and the parameter whose shape it has (initialized to zeros). */
    public record StateSlot(String name, Param param) { }

    /** One dropout mask input: shape [N, shape], values 0 (dropped, probability p) or 1/(1-p). */
    public record MaskSlot(String name, TensorShape shape, double p) { }
}

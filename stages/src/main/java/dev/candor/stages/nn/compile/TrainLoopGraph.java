package dev.candor.stages.nn.compile;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Wraps a compiled train step as the body of an ONNX {@code Loop} that runs K steps in one {@code OrtSession.run}:
 * the parameters, buffers and optimizer state are loop-carried, so on a GPU they stay on the device for all K steps
 * (the Java API has no IoBinding; one run per step would copy them across PCIe each step).
 *
 * <p>The body is the single-step graph itself, every value name prefixed with {@value #BODY} (ONNX forbids a
 * subgraph to shadow outer names), so the K-step computation is the single step's by construction. Outer graph:
 * <ul>
 *   <li>inputs: {@link #stacked} of every per-step input of the step graph ({@link GraphNames#X}, {@link GraphNames#Y},
 *       {@link GraphNames#LR}, dropout masks, {@link GraphNames#WEIGHTS}, DP-SGD noise), each with a leading
 *       dimension K; {@link GraphNames#STEP}, the number of steps run before this call (the body adds 1 before each
 *       step); and every carried value by its own name;</li>
 *   <li>outputs: {@link GraphNames#next} of every carried value, and {@link #LOSSES}, the K data losses.</li>
 * </ul>
 * K is dynamic: the trip count is the element count of the stacked learning rates, so the last, shorter group of
 * an epoch runs through the same session.
 */
public final class TrainLoopGraph {
    /** Prefix of every value inside the loop body. */
    public static final String BODY = "body/";
    /** Output of the loop graph: the data loss of each of the K steps, [K]. */
    public static final String LOSSES = "losses";

    private TrainLoopGraph() {
    }

    /** The loop graph's input holding per-step input {@code name} of K steps stacked on a new first dimension. */
    public static String stacked(String name) {
        return name + ".stacked";
    }

    /** The loop graph of {@code model}'s train step (exposed gradients and DP norms are not loop outputs). */
    public static ModelProto of(CompiledModel model) {
        Set<String> carried = new LinkedHashSet<>();
        for (Param p : model.params()) carried.add(p.name());
        for (Param p : model.buffers()) carried.add(p.name());
        for (CompiledModel.StateSlot s : model.state()) carried.add(s.name());
        return wrap(model.trainStep(), carried);
    }

    static ModelProto wrap(ModelProto stepModel, Set<String> carried) {
        GraphProto step = stepModel.getGraph();
        GraphProto.Builder body = GraphProto.newBuilder().setName("candor_train_step_body");
        GraphProto.Builder outer = GraphProto.newBuilder().setName("candor_train_loop");
        String iter = BODY + "iter";
        String cond = BODY + "cond";
        String stepIn = BODY + "step.prev";
        body.addInput(info(iter, TensorProto.DataType.INT64_VALUE, List.of()));
        body.addInput(info(cond, TensorProto.DataType.BOOL_VALUE, List.of()));
        ValueInfoProto stepInfo = find(step.getInputList(), GraphNames.STEP);
        int elem = stepInfo.getType().getTensorType().getElemType();
        body.addInput(info(stepIn, elem, List.of()));
        outer.addInput(stepInfo);

        // The step number: the body's carried counter plus one, fed to the step graph as its STEP input.
        TensorProto one = TensorProto.newBuilder().setName(BODY + "one").setDataType(elem)
                .addAllFloatData(elem == TensorProto.DataType.FLOAT_VALUE ? List.of(1f) : List.of())
                .addAllDoubleData(elem == TensorProto.DataType.DOUBLE_VALUE ? List.of(1d) : List.of()).build();
        body.addInitializer(one);
        body.addNode(node("Add", List.of(stepIn, one.getName()), List.of(BODY + GraphNames.STEP)));

        List<String> loopInputs = new ArrayList<>();
        List<String> loopOutputs = new ArrayList<>();
        loopInputs.add("trip_count");
        loopInputs.add("keep_going");
        loopInputs.add(GraphNames.STEP);
        loopOutputs.add(GraphNames.next(GraphNames.STEP));
        body.addOutput(info(BODY + "cond.out", TensorProto.DataType.BOOL_VALUE, List.of()));
        body.addNode(node("Identity", List.of(cond), List.of(BODY + "cond.out")));
        body.addOutput(info(BODY + GraphNames.STEP, elem, List.of()));
        String firstStacked = null;
        for (ValueInfoProto in : step.getInputList()) {
            String n = in.getName();
            if (n.equals(GraphNames.STEP)) continue;
            if (carried.contains(n)) {
                body.addInput(in.toBuilder().setName(BODY + n));
                body.addOutput(find(step.getOutputList(), GraphNames.next(n)).toBuilder().setName(BODY + GraphNames.next(n)));
                outer.addInput(in);
                outer.addOutput(find(step.getOutputList(), GraphNames.next(n)));
                loopInputs.add(n);
                loopOutputs.add(GraphNames.next(n));
            } else {
                // A per-step input: slice i of its stacked outer value (a scalar index drops the K dimension).
                String s = stacked(n);
                ValueInfoProto.Builder st = in.toBuilder().setName(s);
                TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("K"))
                        .addAllDim(in.getType().getTensorType().getShape().getDimList());
                st.getTypeBuilder().getTensorTypeBuilder().setShape(shape);
                outer.addInput(st);
                body.addNode(node("Gather", List.of(s, iter), List.of(BODY + n), GraphBuilder.attr("axis", 0L)));
                if (n.equals(GraphNames.LR)) firstStacked = s;
            }
        }
        if (firstStacked == null) throw new IllegalStateException("the train step has no input " + GraphNames.LR);
        for (TensorProto t : step.getInitializerList()) body.addInitializer(t.toBuilder().setName(BODY + t.getName()));
        for (NodeProto n : step.getNodeList()) {
            NodeProto.Builder b = n.toBuilder().clearInput().clearOutput().setName(BODY + n.getName());
            for (String i : n.getInputList()) b.addInput(i.isEmpty() ? i : BODY + i);
            for (String o : n.getOutputList()) b.addOutput(o.isEmpty() ? o : BODY + o);
            body.addNode(b);
        }
        body.addOutput(find(step.getOutputList(), GraphNames.LOSS).toBuilder().setName(BODY + GraphNames.LOSS));
        loopOutputs.add(LOSSES);

        outer.addNode(node("Size", List.of(firstStacked), List.of("trip_count")));
        outer.addInitializer(TensorProto.newBuilder().setName("keep_going").setDataType(TensorProto.DataType.BOOL_VALUE)
                .addInt32Data(1));
        outer.addNode(node("Loop", loopInputs, loopOutputs, AttributeProto.newBuilder().setName("body")
                .setType(AttributeProto.AttributeType.GRAPH).setG(body).build()));
        outer.addOutput(info(LOSSES, elem, List.of("K")));
        return stepModel.toBuilder().setGraph(outer).build();
    }

    private static ValueInfoProto find(List<ValueInfoProto> values, String name) {
        return values.stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow(() ->
                new IllegalStateException("the train step graph has no value " + name + "; it was compiled by another"
                        + " version of TrainStepCompiler"));
    }

    private static NodeProto node(String type, List<String> in, List<String> out, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName("loop_" + type + "_" + out.get(0))
                .addAllInput(in).addAllOutput(out);
        for (AttributeProto a : attributes) n.addAttribute(a);
        return n.build();
    }

    private static ValueInfoProto info(String name, int type, List<Object> dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) dim.setDimParam(s);
            else dim.setDimValue(((Number) d).longValue());
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }
}

package dev.candor.stages.nn.compile;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one ONNX graph out of standard {@code ai.onnx} operators (opset {@value #OPSET}) in one floating-point
 * type: float32 for training, float64 for gradient checks. Every value gets a fresh, readable name; layers
 * emit their forward and backward passes through it, so they never touch protobuf.
 */
public final class GraphBuilder {
    /** The ONNX opset the graphs use: ReduceSum takes axes as an input; ScatterElements has reduction=add. */
    public static final int OPSET = 17;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final int elemType;
    private int counter;

    /** @param doublePrecision float64 values instead of float32 */
    public GraphBuilder(String name, boolean doublePrecision) {
        graph.setName(name);
        this.elemType = doublePrecision ? TensorProto.DataType.DOUBLE_VALUE : TensorProto.DataType.FLOAT_VALUE;
    }

    /** The ONNX element type of every floating-point value in this graph. */
    public int elemType() {
        return elemType;
    }

    /** A name not yet used, starting with {@code hint}. */
    public String fresh(String hint) {
        return hint + "_" + (counter++);
    }

    /** Adds a node with one output; returns the output's name. */
    public String op(String type, List<String> inputs, AttributeProto... attributes) {
        return ops(type, 1, inputs, attributes).get(0);
    }

    /** Adds a node with {@code outputs} outputs; returns their names. */
    public List<String> ops(String type, int outputs, List<String> inputs, AttributeProto... attributes) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) outs.add(fresh(type.toLowerCase()));
        node(type, inputs, outs, attributes);
        return outs;
    }

    /** Adds a node whose outputs have the given names. */
    public void node(String type, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(fresh("n_" + type))
                .addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
    }

    /** {@code to = from} (an Identity node), to give a value a fixed name such as a graph output. */
    public void rename(String from, String to) {
        node("Identity", List.of(from), List.of(to));
    }

    // ---- constants and declarations

    /** A scalar constant of the graph's floating-point type. */
    public String scalar(double v) {
        return constant(new double[] {v});
    }

    /** A constant of the graph's floating-point type with the given dims (none for a scalar). */
    public String constant(double[] values, long... dims) {
        String name = fresh("const");
        graph.addInitializer(tensor(name, values, dims));
        return name;
    }

    /** A float tensor proto of the graph's type (for initializers holding trained parameters). */
    public TensorProto tensor(String name, double[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(elemType);
        for (long d : dims) t.addDims(d);
        if (elemType == TensorProto.DataType.DOUBLE_VALUE) {
            for (double v : values) t.addDoubleData(v);
        } else {
            for (double v : values) t.addFloatData((float) v);
        }
        return t.build();
    }

    /** Adds an initializer. */
    public void initializer(TensorProto t) {
        graph.addInitializer(t);
    }

    /** An int64 constant. */
    public String ints(long... values) {
        String name = fresh("ints");
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) t.addInt64Data(v);
        graph.addInitializer(t);
        return name;
    }

    /** Declares a graph input of the floating type; dims are Long (fixed) or String (symbolic, e.g. "N"). */
    public void input(String name, Object... dims) {
        graph.addInput(valueInfo(name, elemType, dims));
    }

    /** Declares a graph output of the floating type. */
    public void output(String name, Object... dims) {
        graph.addOutput(valueInfo(name, elemType, dims));
    }

    private static ValueInfoProto valueInfo(String name, int type, Object... dims) {
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

    /** The finished model. */
    public ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("candor-nn")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph.build()).build();
    }

    // ---- attributes

    public static AttributeProto attr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto attr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    public static AttributeProto attr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    public static AttributeProto attrs(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    // ---- common operators

    public String add(String a, String b) {
        return op("Add", List.of(a, b));
    }

    public String sub(String a, String b) {
        return op("Sub", List.of(a, b));
    }

    public String mul(String a, String b) {
        return op("Mul", List.of(a, b));
    }

    public String div(String a, String b) {
        return op("Div", List.of(a, b));
    }

    public String matmul(String a, String b) {
        return op("MatMul", List.of(a, b));
    }

    /** {@code a * c} for a constant c. */
    public String scale(String a, double c) {
        return mul(a, scalar(c));
    }

    public String unary(String type, String a) {
        return op(type, List.of(a));
    }

    public String transpose(String a, long... perm) {
        return op("Transpose", List.of(a), attrs("perm", perm));
    }

    public String reshape(String a, long... shape) {
        return op("Reshape", List.of(a, ints(shape)));
    }

    /** Sum over {@code axes} (none: over everything, to a scalar). */
    public String reduceSum(String a, boolean keepDims, long... axes) {
        List<String> in = axes.length == 0 ? List.of(a) : List.of(a, ints(axes));
        return op("ReduceSum", in, attr("keepdims", keepDims ? 1L : 0L));
    }

    /** The batch size (dimension 0 of {@code a}) as a scalar of the floating type. */
    public String batchSize(String a) {
        String n = op("Gather", List.of(op("Shape", List.of(a)), scalarInt(0)), attr("axis", 0L));
        return op("Cast", List.of(n), attr("to", (long) elemType));
    }

    private String scalarInt(long v) {
        String name = fresh("int");
        graph.addInitializer(TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(v));
        return name;
    }

    /** Zeros shaped like {@code a} (ConstantOfShape, so no NaN or infinity in {@code a} leaks in). */
    public String zerosLike(String a) {
        TensorProto zero = tensor("zero", new double[] {0}, 1);
        return op("ConstantOfShape", List.of(op("Shape", List.of(a))), AttributeProto.newBuilder().setName("value")
                .setType(AttributeProto.AttributeType.TENSOR).setT(zero).build());
    }

    /** Mean over {@code axes} (opset 17 takes them as an attribute). */
    public String reduceMean(String a, boolean keepDims, long... axes) {
        return op("ReduceMean", List.of(a), attrs("axes", axes), attr("keepdims", keepDims ? 1L : 0L));
    }

    /** A mask of the floating type: 1 where {@code a > 0}, else 0. */
    public String positive(String a) {
        return op("Cast", List.of(op("Greater", List.of(a, scalar(0)))), attr("to", (long) elemType));
    }

    @Override
    public String toString() {
        return "GraphBuilder[" + graph.getName() + ", " + graph.getNodeCount() + " nodes, type "
                + elemType + ", " + Arrays.asList(graph.getInputList().stream().map(ValueInfoProto::getName).toArray()) + "]";
    }
}

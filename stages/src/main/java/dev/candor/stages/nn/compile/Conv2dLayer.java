package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.LayerSpec;
import dev.candor.stages.nn.model.TensorShape;
import java.util.List;

/**
 * A 2-D convolution, W [F, C, KH, KW], b [F], on [N, C, H, W]. The backward pass uses two convolutions that
 * every execution provider has: the input gradient is a {@code ConvTranspose} of dy with the same kernel
 * (output padding restores H and W), and the kernel gradient is a convolution of the input, batch and channels
 * swapped, with dy as the kernel dilated by the stride.
 */
final class Conv2dLayer implements Layer {
    private final String name;
    private final LayerSpec.Conv2d spec;
    private final TensorShape in;
    private final TensorShape out;
    private final Param w;
    private final Param b;

    Conv2dLayer(String name, LayerSpec.Conv2d spec, TensorShape in, Param.Init init) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException("conv needs an image [channels x height x width]; give the input an image"
                    + " shape (or use dense for vectors)");
        }
        int oh = (in.dim(1) + 2 * spec.padH() - spec.kernelH()) / spec.stride() + 1;
        int ow = (in.dim(2) + 2 * spec.padW() - spec.kernelW()) / spec.stride() + 1;
        if (in.dim(1) + 2 * spec.padH() < spec.kernelH() || in.dim(2) + 2 * spec.padW() < spec.kernelW()) {
            throw new IllegalArgumentException("the " + spec.kernelH() + "x" + spec.kernelW() + " kernel is larger than the "
                    + in.dim(1) + "x" + in.dim(2) + " image (with padding " + spec.padH() + "); use a smaller kernel,"
                    + " padding 'same', or fewer pooling layers before it");
        }
        this.name = name;
        this.spec = spec;
        this.in = in;
        this.out = TensorShape.of(spec.filters(), oh, ow);
        int c = in.dim(0);
        int fanIn = c * spec.kernelH() * spec.kernelW();
        int fanOut = spec.filters() * spec.kernelH() * spec.kernelW();
        this.w = new Param(name + ".W", List.of((long) spec.filters(), (long) c, (long) spec.kernelH(), (long) spec.kernelW()),
                init, true, fanIn, fanOut);
        this.b = new Param(name + ".b", List.of((long) spec.filters()), Param.Init.ZEROS, false, fanIn, fanOut);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TensorShape inputShape() {
        return in;
    }

    @Override
    public TensorShape outputShape() {
        return out;
    }

    @Override
    public List<Param> params() {
        return List.of(w, b);
    }

    @Override
    public Forward forward(GraphBuilder g, String x, Context ctx) {
        int s = spec.stride();
        long ph = spec.padH();
        long pw = spec.padW();
        String wv = ctx.value(w);
        String y = g.op("Conv", List.of(x, wv, ctx.value(b)), GraphBuilder.attrs("strides", s, s),
                GraphBuilder.attrs("pads", ph, pw, ph, pw),
                GraphBuilder.attrs("kernel_shape", spec.kernelH(), spec.kernelW()));
        return new Forward() {
            public String output() {
                return y;
            }

            public String backward(GraphBuilder g2, String dy, boolean needDx, Gradients grads) {
                grads.add(b, g2.reduceSum(dy, false, 0, 2, 3));
                String xt = g2.transpose(x, 1, 0, 2, 3);
                String dyt = g2.transpose(dy, 1, 0, 2, 3);
                String full = g2.op("Conv", List.of(xt, dyt), GraphBuilder.attrs("strides", 1, 1),
                        GraphBuilder.attrs("pads", ph, pw, ph, pw), GraphBuilder.attrs("dilations", s, s));
                long fh = in.dim(1) + 2 * ph - (long) s * (out.dim(1) - 1);
                long fw = in.dim(2) + 2 * pw - (long) s * (out.dim(2) - 1);
                String cut = fh == spec.kernelH() && fw == spec.kernelW() ? full
                        : g2.op("Slice", List.of(full, g2.ints(0, 0), g2.ints(spec.kernelH(), spec.kernelW()), g2.ints(2, 3)));
                grads.add(w, g2.transpose(cut, 1, 0, 2, 3));
                if (!needDx) return "";
                long oph = in.dim(1) - (long) s * (out.dim(1) - 1) - spec.kernelH() + 2 * ph;
                long opw = in.dim(2) - (long) s * (out.dim(2) - 1) - spec.kernelW() + 2 * pw;
                return g2.op("ConvTranspose", List.of(dy, wv), GraphBuilder.attrs("strides", s, s),
                        GraphBuilder.attrs("pads", ph, pw, ph, pw), GraphBuilder.attrs("output_padding", oph, opw),
                        GraphBuilder.attrs("kernel_shape", spec.kernelH(), spec.kernelW()));
            }
        };
    }
}

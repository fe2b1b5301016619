package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.LayerSpec;
import dev.candor.stages.nn.model.TensorShape;
import java.util.List;

/**
 * Batch normalization (Ioffe &amp; Szegedy 2015) per feature of [N, F] or per channel of [N, C, H, W]. Training
 * normalizes by the batch's mean and (biased) variance and moves the running statistics toward the batch's,
 * the running variance unbiased by M/(M-1) as PyTorch does; eval and inference use the running statistics.
 * Backward: {@code dx = inv * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))}, means over the M values per
 * channel.
 */
final class BatchNormLayer implements Layer {
    private final String name;
    private final LayerSpec.BatchNorm spec;
    private final TensorShape in;
    private final Param gamma;
    private final Param beta;
    private final Param mean;
    private final Param var;

    BatchNormLayer(String name, LayerSpec.BatchNorm spec, TensorShape in) {
        if (in.rank() != 1 && in.rank() != 3) {
            throw new IllegalArgumentException("batch norm needs a vector or an image [channels x height x width]");
        }
        this.name = name;
        this.spec = spec;
        this.in = in;
        long c = in.dim(0);
        this.gamma = new Param(name + ".gamma", List.of(c), Param.Init.ONES, false, 1, 1);
        this.beta = new Param(name + ".beta", List.of(c), Param.Init.ZEROS, false, 1, 1);
        this.mean = new Param(name + ".running_mean", List.of(c), Param.Init.ZEROS, false, 1, 1);
        this.var = new Param(name + ".running_var", List.of(c), Param.Init.ONES, false, 1, 1);
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
        return in;
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    @Override
    public List<Param> buffers() {
        return List.of(mean, var);
    }

    private long[] axes() {
        return in.rank() == 1 ? new long[] {0} : new long[] {0, 2, 3};
    }

    /** A per-channel [C] value shaped to broadcast against the input. */
    private String channel(GraphBuilder g, String v) {
        return in.rank() == 1 ? v : g.reshape(v, in.dim(0), 1, 1);
    }

    @Override
    public Forward forward(GraphBuilder g, String x, Context ctx) {
        String gb = channel(g, ctx.value(gamma));
        String bb = channel(g, ctx.value(beta));
        if (ctx.mode() != Mode.TRAIN) {
            String inv = g.div(g.scalar(1), g.unary("Sqrt", g.add(channel(g, ctx.value(var)), g.scalar(spec.eps()))));
            String y = g.add(g.mul(g.mul(g.sub(x, channel(g, ctx.value(mean))), inv), gb), bb);
            return new Forward() {
                public String output() {
                    return y;
                }

                public String backward(GraphBuilder b, String dy, boolean needDx, Gradients grads) {
                    throw new IllegalStateException("batch norm has no backward pass outside the train step");
                }
            };
        }
        long[] axes = axes();
        String mu = g.reduceMean(x, true, axes);
        String xc = g.sub(x, mu);
        String v = g.reduceMean(g.mul(xc, xc), true, axes);
        String inv = g.div(g.scalar(1), g.unary("Sqrt", g.add(v, g.scalar(spec.eps()))));
        String xhat = g.mul(xc, inv);
        String y = g.add(g.mul(xhat, gb), bb);
        double m = spec.momentum();
        long count = in.rank() == 1 ? 1 : (long) in.dim(1) * in.dim(2);
        // M = N * H * W values per channel; the unbiased variance is v * M / (M - 1). A batch with one value per
        // channel (the last, partial batch of an epoch holding one row, before a dense batch norm) has no variance to
        // estimate: 0 / 0 would make the running variance NaN, and every later prediction with it. Such a batch
        // (several = 0) leaves the running variance as it was; any other (several = 1) updates it as before, bit for bit.
        String mTotal = g.mul(g.batchSize(x), g.scalar(count));
        String several = g.positive(g.sub(mTotal, g.scalar(1)));
        String notSeveral = g.sub(g.scalar(1), several);
        String unbiased = g.div(g.mul(g.reshape(v, -1), mTotal), g.add(g.sub(mTotal, g.scalar(1)), notSeveral));
        ctx.updateBuffer(mean, g.add(g.scale(ctx.value(mean), 1 - m), g.scale(g.reshape(mu, -1), m)));
        String moved = g.add(g.scale(ctx.value(var), 1 - m), g.scale(unbiased, m));
        ctx.updateBuffer(var, g.add(g.mul(moved, several), g.mul(ctx.value(var), notSeveral)));
        return new Forward() {
            public String output() {
                return y;
            }

            public String backward(GraphBuilder b, String dy, boolean needDx, Gradients grads) {
                grads.add(gamma, b.reduceSum(b.mul(dy, xhat), false, axes));
                grads.add(beta, b.reduceSum(dy, false, axes));
                if (!needDx) return "";
                String dxhat = b.mul(dy, gb);
                String t = b.sub(b.sub(dxhat, b.reduceMean(dxhat, true, axes)),
                        b.mul(xhat, b.reduceMean(b.mul(dxhat, xhat), true, axes)));
                return b.mul(inv, t);
            }
        };
    }
}

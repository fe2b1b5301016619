package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;

/** Emits one parameter's update under an {@link OptimizerSpec} rule (see there for the formulas). */
final class OptimizerEmitter {
    /** The new parameter value and the new state values, in {@link OptimizerSpec#stateNames()} order. */
    record Update(String param, List<String> state) { }

    private final GraphBuilder g;
    private final OptimizerSpec spec;
    private final String lr;
    private final String step;
    private String biasCorrection1;
    private String biasCorrection2;

    /**
     * @param lr   the scalar input holding this step's learning rate (schedules are computed by the trainer)
     * @param step the scalar input holding the 1-based step number (Adam's bias correction)
     */
    OptimizerEmitter(GraphBuilder g, OptimizerSpec spec, String lr, String step) {
        this.g = g;
        this.spec = spec;
        this.lr = lr;
        this.step = step;
    }

    Update update(Param param, String p, String grad, List<String> state) {
        double wd = param.decayed() ? spec.weightDecay() : 0;
        String gr = wd > 0 && spec.kind() != OptimizerSpec.Kind.ADAMW ? g.add(grad, g.scale(p, wd)) : grad;
        List<String> next = new ArrayList<>();
        String np = switch (spec.kind()) {
            case SGD -> g.sub(p, g.mul(lr, gr));
            case MOMENTUM, NESTEROV -> {
                String v = g.add(g.scale(state.get(0), spec.momentum()), gr);
                next.add(v);
                String dir = spec.kind() == OptimizerSpec.Kind.NESTEROV ? g.add(gr, g.scale(v, spec.momentum())) : v;
                yield g.sub(p, g.mul(lr, dir));
            }
            case ADAM, ADAMW -> {
                String base = wd > 0 && spec.kind() == OptimizerSpec.Kind.ADAMW ? g.sub(p, g.mul(g.scale(lr, wd), p)) : p;
                String m = g.add(g.scale(state.get(0), spec.beta1()), g.scale(gr, 1 - spec.beta1()));
                String v = g.add(g.scale(state.get(1), spec.beta2()), g.scale(g.mul(gr, gr), 1 - spec.beta2()));
                next.add(m);
                next.add(v);
                String mHat = g.div(m, biasCorrection(1));
                String vHat = g.div(v, biasCorrection(2));
                String denom = g.add(g.unary("Sqrt", vHat), g.scalar(spec.eps()));
                yield g.sub(base, g.mul(lr, g.div(mHat, denom)));
            }
            case RMSPROP, ADAGRAD -> {
                String sq = g.mul(gr, gr);
                String s = spec.kind() == OptimizerSpec.Kind.ADAGRAD ? g.add(state.get(0), sq)
                        : g.add(g.scale(state.get(0), spec.rho()), g.scale(sq, 1 - spec.rho()));
                next.add(s);
                String denom = g.add(g.unary("Sqrt", s), g.scalar(spec.eps()));
                yield g.sub(p, g.mul(lr, g.div(gr, denom)));
            }
        };
        return new Update(np, next);
    }

    /** {@code 1 - beta^step}, emitted once per graph. */
    private String biasCorrection(int which) {
        if (which == 1 && biasCorrection1 == null) {
            biasCorrection1 = g.sub(g.scalar(1), g.op("Pow", List.of(g.scalar(spec.beta1()), step)));
        }
        if (which == 2 && biasCorrection2 == null) {
            biasCorrection2 = g.sub(g.scalar(1), g.op("Pow", List.of(g.scalar(spec.beta2()), step)));
        }
        return which == 1 ? biasCorrection1 : biasCorrection2;
    }
}

package dev.candor.stages.nn.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the layer strings of a model description: {@code dense 64 relu}, {@code dropout 0.2},
 * {@code conv 16 3x3 relu}, {@code conv 8 5x5 stride 2 pad 1}, {@code maxpool 2}, {@code avgpool 2 stride 1},
 * {@code flatten}, {@code batchnorm}, and a bare activation ({@code relu}, {@code leaky-relu}, {@code sigmoid},
 * {@code tanh}, {@code softmax}). Errors name the layer (its position and text) and say what was expected.
 */
public final class LayerParser {
    private LayerParser() {
    }

    /** Parses every layer; the first bad one throws. */
    public static List<LayerSpec> parseAll(List<String> layers) {
        List<LayerSpec> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) out.add(parse(i, layers.get(i)));
        return List.copyOf(out);
    }

    /**
     * Parses one layer string.
     *
     * @param index its position in the list (0-based; messages say "layer index+1")
     * @throws IllegalArgumentException naming the layer and the problem
     */
    public static LayerSpec parse(int index, String text) {
        String where = "layer " + (index + 1) + " '" + text + "'";
        String[] t = text == null ? new String[0] : text.trim().toLowerCase(Locale.ROOT).split("[\\s,]+");
        if (t.length == 0 || t[0].isEmpty()) {
            throw new IllegalArgumentException(where + " is empty; write e.g. 'dense 64 relu'");
        }
        try {
            return switch (t[0]) {
                case "dense", "linear" -> dense(t);
                case "dropout" -> {
                    need(t, 2, 2, "dropout P, e.g. 'dropout 0.2'");
                    yield new LayerSpec.Dropout(number(t[1], "dropout probability"));
                }
                case "flatten" -> {
                    need(t, 1, 1, "flatten (no arguments)");
                    yield new LayerSpec.Flatten();
                }
                case "conv", "conv2d" -> conv(t);
                case "maxpool", "max-pool", "avgpool", "avg-pool", "averagepool" -> pool(t);
                case "batchnorm", "batch-norm", "bn" -> batchNorm(t);
                default -> {
                    var act = Activation.fromWord(t[0]);
                    if (act.isEmpty()) {
                        throw new IllegalArgumentException("unknown layer kind '" + t[0] + "'; expected one of dense, "
                                + "dropout, flatten, conv, maxpool, avgpool, batchnorm, or an activation ("
                                + Activation.words() + ")");
                    }
                    need(t, 1, 1, "an activation alone, e.g. 'relu'");
                    yield new LayerSpec.Act(act.get());
                }
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static LayerSpec dense(String[] t) {
        need(t, 2, 3, "dense UNITS [ACTIVATION], e.g. 'dense 64 relu'");
        return new LayerSpec.Dense(integer(t[1], "unit count", 1, LayerSpec.MAX_UNITS), t.length == 3 ? activation(t[2]) : Activation.NONE);
    }

    private static LayerSpec conv(String[] t) {
        String form = "conv FILTERS KxK [stride S] [pad P|same|valid] [ACTIVATION], e.g. 'conv 16 3x3 relu'";
        need(t, 3, 8, form);
        int filters = integer(t[1], "filter count", 1, LayerSpec.MAX_UNITS);
        String[] k = t[2].split("x");
        if (k.length > 2) throw new IllegalArgumentException("kernel size must be K or KxK, got '" + t[2] + "'");
        int kh = integer(k[0], "kernel height", 1, LayerSpec.MAX_WINDOW);
        int kw = k.length == 2 ? integer(k[1], "kernel width", 1, LayerSpec.MAX_WINDOW) : kh;
        int stride = 1;
        int pad = LayerSpec.Conv2d.SAME;
        Activation act = Activation.NONE;
        for (int i = 3; i < t.length; i++) {
            String w = t[i];
            String value = null;
            int eq = w.indexOf('=');
            if (eq > 0) {
                value = w.substring(eq + 1);
                w = w.substring(0, eq);
            }
            switch (w) {
                case "stride" -> stride = integer(value != null ? value : next(t, ++i, form), "stride", 1, LayerSpec.MAX_WINDOW);
                case "pad", "padding" -> {
                    String v = value != null ? value : next(t, ++i, form);
                    pad = v.equals("same") ? LayerSpec.Conv2d.SAME : v.equals("valid") ? 0 : integer(v, "padding", 0, LayerSpec.MAX_WINDOW);
                }
                case "same" -> pad = LayerSpec.Conv2d.SAME;
                case "valid" -> pad = 0;
                default -> act = activation(w);
            }
        }
        return new LayerSpec.Conv2d(filters, kh, kw, stride, pad, act);
    }

    private static LayerSpec pool(String[] t) {
        String form = t[0] + " SIZE [stride S], e.g. '" + t[0] + " 2'";
        need(t, 2, 4, form);
        int size = integer(t[1], "pool size", 1, LayerSpec.MAX_WINDOW);
        int stride = size;
        if (t.length > 2) {
            String w = t[2];
            if (w.startsWith("stride=")) stride = integer(w.substring(7), "stride", 1, LayerSpec.MAX_WINDOW);
            else if (w.equals("stride") && t.length == 4) stride = integer(t[3], "stride", 1, LayerSpec.MAX_WINDOW);
            else throw new IllegalArgumentException("expected " + form + ", got '" + String.join(" ", t) + "'");
        }
        return new LayerSpec.Pool(t[0].startsWith("max"), size, stride);
    }

    private static LayerSpec batchNorm(String[] t) {
        double momentum = 0.1;
        double eps = 1e-5;
        for (int i = 1; i < t.length; i++) {
            switch (t[i]) {
                case "momentum" -> momentum = number(next(t, ++i, "batchnorm [momentum M] [eps E]"), "momentum");
                case "eps" -> eps = number(next(t, ++i, "batchnorm [momentum M] [eps E]"), "eps");
                default -> throw new IllegalArgumentException("unexpected '" + t[i]
                        + "'; expected batchnorm [momentum M] [eps E]");
            }
        }
        return new LayerSpec.BatchNorm(momentum, eps);
    }

    private static Activation activation(String w) {
        return Activation.fromWord(w).orElseThrow(() -> new IllegalArgumentException(
                "unknown activation '" + w + "'; expected one of " + Activation.words()));
    }

    private static void need(String[] t, int min, int max, String form) {
        if (t.length < min || t.length > max) {
            throw new IllegalArgumentException("expected " + form + ", got '" + String.join(" ", t) + "'");
        }
    }

    private static String next(String[] t, int i, String form) {
        if (i >= t.length) throw new IllegalArgumentException("a value is missing at the end; expected " + form);
        return t[i];
    }

    /** A whole number in [min, max]; digits past int's range are "too large", not "not a number". */
    private static int integer(String s, String what, int min, int max) {
        long v;
        if (s.matches("[0-9]+")) {
            v = s.replaceFirst("^0+(?=.)", "").length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
        } else {
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                v = Long.MIN_VALUE;
            }
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(String.format("the %s must be a whole number from %,d to %,d, got '%s'",
                    what, min, max, s));
        }
        return (int) v;
    }

    private static double number(String s, String what) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the " + what + " must be a number, got '" + s + "'");
        }
    }
}

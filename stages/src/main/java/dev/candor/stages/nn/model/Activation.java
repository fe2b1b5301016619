package dev.candor.stages.nn.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** An element-wise (or, for softmax, row-wise) activation function. {@link #NONE} is the identity. */
public enum Activation {
    NONE("linear"), RELU("relu"), LEAKY_RELU("leaky-relu"), SIGMOID("sigmoid"), TANH("tanh"), SOFTMAX("softmax");

    /** The negative slope of {@link #LEAKY_RELU} (Keras and PyTorch default 0.01). */
    public static final double LEAKY_SLOPE = 0.01;

    private final String word;

    Activation(String word) {
        this.word = word;
    }

    /** The name used in layer strings, e.g. {@code leaky-relu}. */
    public String word() {
        return word;
    }

    /** The activation a layer-string word names ({@code leaky_relu} and {@code leakyrelu} are accepted too). */
    public static Optional<Activation> fromWord(String w) {
        String n = w.toLowerCase(Locale.ROOT).replace('_', '-');
        if (n.equals("leakyrelu")) n = "leaky-relu";
        if (n.equals("identity")) n = "linear";
        for (Activation a : values()) if (a.word.equals(n)) return Optional.of(a);
        return Optional.empty();
    }

    /** The words {@link #fromWord} accepts, for error messages. */
    public static String words() {
        return Arrays.stream(values()).map(Activation::word).collect(Collectors.joining(", "));
    }
}

package dev.candor.gpu.session;

import java.util.Locale;

/**
 * Where ONNX Runtime runs a model, as written in a pipeline's {@code device:} setting: {@code auto} (CUDA when this
 * build and machine have it, else CPU), {@code cpu}, {@code cuda} (GPU 0) or {@code cuda:N}.
 *
 * @param kind  auto, cpu or cuda
 * @param index the CUDA device number for {@link Kind#CUDA}; 0 otherwise
 */
public record Device(Kind kind, int index) {

    /** The three kinds of device setting. */
    public enum Kind { AUTO, CPU, CUDA }

    public static final Device AUTO = new Device(Kind.AUTO, 0);
    public static final Device CPU = new Device(Kind.CPU, 0);

    public Device {
        if (kind == null) throw new IllegalArgumentException("a device needs a kind: auto, cpu or cuda");
        if (index < 0) throw new IllegalArgumentException("a CUDA device number must be >= 0, got " + index);
        if (kind != Kind.CUDA && index != 0) {
            throw new IllegalArgumentException("only a cuda device takes a number, got " + kind + " with " + index);
        }
    }

    public static Device cuda(int index) {
        return new Device(Kind.CUDA, index);
    }

    /**
     * Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException for anything else, quoting the text and listing the accepted forms
     */
    public static Device parse(String text) {
        if (text == null) throw new IllegalArgumentException("device is not set; write one of auto, cpu, cuda, cuda:N");
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "auto": return AUTO;
            case "cpu": return CPU;
            case "cuda": return cuda(0);
            default: break;
        }
        if (t.startsWith("cuda:")) {
            String number = t.substring("cuda:".length());
            if (!number.isEmpty() && number.length() <= 4 && number.chars().allMatch(Character::isDigit)) {
                return cuda(Integer.parseInt(number));
            }
        }
        throw new IllegalArgumentException("device '" + text + "' is not one of auto, cpu, cuda, cuda:N");
    }

    /** The setting as a user writes it: {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}. */
    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> index == 0 ? "cuda" : "cuda:" + index;
        };
    }
}

package dev.candor.stages.spi;

/**
 * One kind of input a stage accepts, with how many artifacts of that kind it takes.
 *
 * @param kind the artifact kind
 * @param min  the least number of inputs of this kind (0 makes the port optional)
 * @param max  the most number of inputs of this kind
 * @param role what the input is for, in words used by error messages ("the data to train on")
 */
public record InputPort(ArtifactKind kind, int min, int max, String role) {
    public InputPort {
        if (kind == null) throw new IllegalArgumentException("kind must be set");
        if (min < 0 || max < min || max < 1) {
            throw new IllegalArgumentException("need 0 <= min <= max and max >= 1, got min=" + min + " max=" + max);
        }
        role = role == null ? kind.label() : role;
    }

    public static InputPort exactlyOne(ArtifactKind kind, String role) {
        return new InputPort(kind, 1, 1, role);
    }

    public static InputPort optional(ArtifactKind kind, String role) {
        return new InputPort(kind, 0, 1, role);
    }
}

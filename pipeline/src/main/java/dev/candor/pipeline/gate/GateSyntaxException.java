package dev.candor.pipeline.gate;

/**
 * A gate that is not a well-formed condition. The loader turns it into a spec error at the offending column.
 */
public final class GateSyntaxException extends Exception {
    private final int offset;
    private final String problem;
    private final String fix;

    /**
     * @param offset  where the offending token starts in the gate string, from 0
     * @param problem what is wrong, naming what was found
     * @param fix     how to fix it
     */
    public GateSyntaxException(int offset, String problem, String fix) {
        super(problem + " — " + fix);
        this.offset = offset;
        this.problem = problem;
        this.fix = fix;
    }

    public int offset() {
        return offset;
    }

    public String problem() {
        return problem;
    }

    public String fix() {
        return fix;
    }
}

package dev.candor.stages.spi;

/** Live progress for the CLI and logs. Cheap to call often; thread-safe. */
public interface Progress {
    /**
     * @param unit  what is counted ("rows", "epochs", "trees")
     * @param done  how many so far
     * @param total how many in all, or -1 when unknown
     */
    void update(String unit, long done, long total);

    Progress NONE = (unit, done, total) -> { };
}

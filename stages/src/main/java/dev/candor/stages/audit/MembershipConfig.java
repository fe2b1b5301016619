package dev.candor.stages.audit;

import dev.candor.stages.data.Split;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.Doc;

/** Configuration of {@code audit.membership}. */
@Doc("Membership-inference audit: can an attacker tell the training rows from held-out rows by the model's outputs?")
public record MembershipConfig(
        @Doc("Rows per side at most (default 1000): the same number of members and non-members, a seeded sample") Integer rows,
        @Doc("The held-out split used as non-members: test (default) or validation") Split nonMembers) {

    public static final int DEFAULT_ROWS = 1000;
    public static final int MAX_ROWS = 1_000_000;

    public MembershipConfig {
        rows = rows == null ? DEFAULT_ROWS : rows;
        if (rows < 1 || rows > MAX_ROWS) throw new ConfigException("rows", "must be in [1, " + MAX_ROWS + "], got " + rows);
        nonMembers = nonMembers == null ? Split.TEST : nonMembers;
        if (nonMembers == Split.TRAIN) {
            throw new ConfigException("non_members", "must be a held-out split (test or validation): the train split"
                    + " holds the members");
        }
    }

    public static MembershipConfig defaults() {
        return new MembershipConfig(null, null);
    }
}

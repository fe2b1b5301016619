package dev.candor.dashboard;

import dev.candor.registry.InputLimits;
import dev.candor.registry.RegistryLimits;
import io.quarkus.qute.TemplateGlobal;

/**
 * The registry's input limits as template globals, so the review forms' {@code maxlength} attributes are the limits the
 * server checks ({@link InputLimits}), not a second copy of the numbers.
 */
final class FormLimits {
    @TemplateGlobal(name = "actorMax")
    static final int ACTOR_MAX = RegistryLimits.ACTOR;
    @TemplateGlobal(name = "reasonMax")
    static final int REASON_MAX = InputLimits.REASON;

    private FormLimits() {
    }
}

package dev.candor.stages.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The YAML key of a record component, where the default (the component name in snake_case: {@code learningRate}
 * is written {@code learning_rate}) will not do, for instance because the key is a Java keyword ({@code protected}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Key {
    String value();
}

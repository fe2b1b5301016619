package dev.candor.pipeline.spec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.List;
import java.util.Map;

/**
 * The kinds of value a config record component may hold, as the binder and the JSON Schema generator see them.
 *
 * @param kind    which kind
 * @param raw     the Java class (the enum or record class for those kinds; {@code List}/{@code Map} for collections)
 * @param element the element type of a list, or the value type of a map; null otherwise
 */
record ValueType(Kind kind, Class<?> raw, Type element) {

    enum Kind { STRING, INTEGER, LONG, DOUBLE, BOOLEAN, ENUM, RECORD, LIST, MAP }

    /**
     * The value type of a Java type.
     *
     * @param owner what declares it, for the message when a stage author uses a type the YAML cannot express
     * @throws IllegalStateException for any other type: a mistake in the stage's config record, not in the YAML
     */
    static ValueType of(Type type, String owner) {
        if (type instanceof Class<?> c) {
            if (c == String.class) return new ValueType(Kind.STRING, c, null);
            if (c == Integer.class || c == int.class) return new ValueType(Kind.INTEGER, c, null);
            if (c == Long.class || c == long.class) return new ValueType(Kind.LONG, c, null);
            if (c == Double.class || c == double.class) return new ValueType(Kind.DOUBLE, c, null);
            if (c == Boolean.class || c == boolean.class) return new ValueType(Kind.BOOLEAN, c, null);
            if (c.isEnum()) return new ValueType(Kind.ENUM, c, null);
            if (c.isRecord()) return new ValueType(Kind.RECORD, c, null);
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                return new ValueType(Kind.LIST, raw, upperBound(args[0]));
            }
            if (raw == Map.class && args[0] == String.class) {
                return new ValueType(Kind.MAP, raw, upperBound(args[1]));
            }
        }
        throw new IllegalStateException(owner + " has type " + type.getTypeName() + ", which pipeline YAML cannot"
                + " express; use String, Integer, Long, Double, Boolean, an enum, a record, List<T> or Map<String, T>");
    }

    /** The default a primitive component takes when its key is absent (a boxed component takes null). */
    Object absentValue() {
        if (!raw.isPrimitive()) return null;
        if (raw == int.class) return 0;
        if (raw == long.class) return 0L;
        if (raw == double.class) return 0.0;
        return false;
    }

    private static Type upperBound(Type type) {
        return type instanceof WildcardType w ? w.getUpperBounds()[0] : type;
    }
}

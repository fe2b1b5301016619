package dev.candor.pipeline.spec;

import dev.candor.stages.spi.DataPath;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The {@code @DataPath} values of a bound config record, found by walking the record (nested records, lists and maps
 * included): where each is (its YAML key) and a copy of the record with each replaced, so that a stage reads the
 * private copy the run took instead of the file by its name.
 */
final class DataPathValues {
    private DataPathValues() {
    }

    /** Each data file the config names → its YAML key ({@code path}, {@code reference.file}, {@code sets[1].path}). */
    static Map<Path, String> keys(Record config) {
        Map<Path, String> keys = new LinkedHashMap<>();
        walk(config, "", (key, value) -> {
            keys.putIfAbsent(Path.of(value), key);
            return value;
        });
        return keys;
    }

    /** The config with each data path found in {@code replacements} replaced by its value; others left as they are. */
    static Record replace(Record config, Map<Path, Path> replacements) {
        return (Record) walk(config, "", (key, value) -> {
            Path replacement = replacements.get(Path.of(value));
            return replacement == null ? value : replacement.toString();
        });
    }

    /** Rebuilds {@code value} with {@code visit(key, path)} applied to each data path; unchanged parts are reused. */
    private static Object walk(Object value, String key, BiFunction<String, String, String> visit) {
        if (value instanceof Record record) {
            return walkRecord(record, key, visit);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            boolean changed = false;
            for (int i = 0; i < list.size(); i++) {
                Object item = walk(list.get(i), key + "[" + i + "]", visit);
                changed |= item != list.get(i);
                out.add(item);
            }
            return changed ? List.copyOf(out) : list;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object item = walk(e.getValue(), key + "." + e.getKey(), visit);
                changed |= item != e.getValue();
                out.put(e.getKey(), item);
            }
            return changed ? out : map;
        }
        return value;
    }

    private static Record walkRecord(Record record, String prefix, BiFunction<String, String, String> visit) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        boolean changed = false;
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Object value = get(record, c);
            String key = prefix.isEmpty() ? Names.yamlKey(c) : prefix + "." + Names.yamlKey(c);
            Object next = c.isAnnotationPresent(DataPath.class) && value instanceof String s
                    ? visit.apply(key, s) : walk(value, key, visit);
            changed |= next != value;
            args[i] = next;
        }
        if (!changed) return record;
        try {
            Constructor<?> constructor = record.getClass().getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.trySetAccessible();
            return (Record) constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the config record " + record.getClass().getName()
                    + " refused a copy with its data paths replaced: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy the config record " + record.getClass().getName(), e);
        }
    }

    private static Object get(Record record, RecordComponent c) {
        try {
            c.getAccessor().trySetAccessible();
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + record.getClass().getName() + "." + c.getName(), e);
        }
    }
}

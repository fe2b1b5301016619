package dev.candor.stages.spi;

/**
 * A configuration value out of its legal range, thrown by a config record's compact constructor. Naming the
 * component lets the spec validator point at its line and column.
 */
public class ConfigException extends IllegalArgumentException {
    private final String key;

    /**
     * @param key     the YAML key (record component name) at fault
     * @param message what is wrong and what would be right, e.g. "must be in (0, 1), got 1.5"
     */
    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}

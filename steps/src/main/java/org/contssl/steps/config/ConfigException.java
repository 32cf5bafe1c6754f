package org.contssl.steps.config;

/** A configuration problem, phrased as one line that names the key and what to do. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}

package org.contssl.steps.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A configuration after preset + overrides: the typed tree for code, the plain tree for reports,
 * and the hash that identifies the experiment (it is an identifying job parameter, so a restart can
 * never silently resume a different experiment).
 */
public record ResolvedConfig(RunConfig config, JsonNode tree, String hash) {

    /** The tree as nested maps, for reports and JSON output. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return ConfigLoader.MAPPER.convertValue(tree, Map.class);
    }
}

package org.contssl.steps.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.contssl.core.AtomicFiles;
import org.contssl.model.Engines;
import org.contssl.model.SimSiamSpec;
import org.contssl.steps.pretrain.PretrainedSource;

/**
 * Binds a preset (YAML on the classpath under {@code presets/} or a file) plus Hydra-style
 * {@code key=value} overrides into a {@link RunConfig}. Every preset other than the demo is laid over the demo
 * preset, which states every key with its default: a preset (or a user's file) states only what differs, and a key
 * added later reaches every preset with its default. Only keys the demo or the preset defines exist: an override
 * of any other key is an error naming it. The experiment hash covers the typed, fully resolved values, so it does
 * not depend on which file stated a value.
 */
public final class ConfigLoader {

    public static final String DEFAULT_PRESET = "demo";
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConfigLoader.class);

    private ConfigLoader() {
    }

    /**
     * Preset + overrides, complete: a key the preset marks {@code ???} and no override sets is a one-line error
     * naming the key and the format it expects.
     */
    public static ResolvedConfig load(String preset, List<String> overrides) {
        String name = preset == null ? DEFAULT_PRESET : preset;
        ObjectNode tree = readPreset(name);
        Map<String, String> hints = Presets.stripMetadata(tree);
        tree = overDefaults(name, tree);
        ResolvedConfig config = resolve(tree, overrides);
        List<String> missing = Presets.missingKeys(config.tree());
        if (!missing.isEmpty()) {
            throw Presets.missing(name, missing.get(0), hints);
        }
        return config;
    }

    /**
     * Preset + overrides where required keys may still be {@code ???} (see {@link Presets#missingKeys}): for
     * commands that only look at a configuration, such as {@code plan}.
     */
    public static ResolvedConfig loadIncomplete(String preset, List<String> overrides) {
        String name = preset == null ? DEFAULT_PRESET : preset;
        ObjectNode tree = readPreset(name);
        Presets.stripMetadata(tree);
        return resolve(overDefaults(name, tree), overrides);
    }

    /**
     * The preset laid over the demo preset's keys: mappings merge key by key, any other value (a scalar, a list,
     * the bare {@code optim.lr_schedule: cos}) replaces the default. The demo itself is returned as read.
     */
    static ObjectNode overDefaults(String name, ObjectNode preset) {
        if (DEFAULT_PRESET.equals(name)) {
            return preset;
        }
        ObjectNode defaults = readPreset(DEFAULT_PRESET);
        Presets.stripMetadata(defaults);
        merge(defaults, preset);
        return defaults;
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(f -> {
            if (into.get(f.getKey()) instanceof ObjectNode old && f.getValue() instanceof ObjectNode given) {
                merge(old, given);
            } else {
                into.set(f.getKey(), f.getValue());
            }
        });
    }

    private static ResolvedConfig resolve(ObjectNode tree, List<String> overrides) {
        ReferenceKeys.normalise(tree);
        for (String override : overrides) {
            apply(tree, override);
        }
        return bind(tree);
    }

    /**
     * A new run reads {@code model.pretrained} completely before any job starts, so a missing, truncated, foreign or
     * mismatched file fails at once as a bad input (not as a failed pretrain step after the lists were built).
     * Called by the commands that launch a new run, not by loading a configuration (plan, tests and restarts only
     * look at one; once a checkpoint exists the file is no longer used).
     */
    public static void checkPretrained(RunConfig c) {
        String file = c.model().pretrained();
        if (file == null || file.isBlank()) {
            return;
        }
        SimSiamSpec spec = SimSiamSpec.of(c.model().backbone(), c.data().channels(), c.data().insize(),
                c.model().cifarStem());
        // the engine starts here as the pretrain step would start it (the inter-op pool cannot change later)
        Engines.configure(c.environment().threads(), 1);
        try {
            PretrainedSource.read(Path.of(file), spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Starts the engine and selects {@code environment.device} on it; a device libtorch cannot see (every CUDA device
     * with the bundled CPU-only libtorch) is a configuration error, reported before any job starts.
     */
    public static void checkDevice(RunConfig c) {
        Engines.configure(c.environment().threads(), 1);
        try {
            Engines.useDevice(c.environment().device());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Reads a resolved config saved in a workdir (no overrides: it is already complete). */
    public static ResolvedConfig read(Path file) {
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            if (!(tree instanceof ObjectNode object)) {
                throw new ConfigException(file + " is not a configuration (expected a YAML mapping)");
            }
            return bind(object);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Saves the resolved config durably: a restart compares its hash against this file. */
    public static void write(ResolvedConfig config, Path file) {
        AtomicFiles.write(file, toYaml(config).getBytes(StandardCharsets.UTF_8));
    }

    public static String toYaml(ResolvedConfig config) {
        try {
            return YAML.writeValueAsString(config.tree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode readPreset(String preset) {
        if ((preset.endsWith(".yaml") || preset.endsWith(".yml")) && !Files.isRegularFile(Path.of(preset))) {
            throw new ConfigException("preset file " + preset + " does not exist");
        }
        try (InputStream in = Presets.open(preset)) {
            if (!(YAML.readTree(in) instanceof ObjectNode tree)) {
                throw new ConfigException("preset " + preset + " is not a configuration (expected a YAML mapping)");
            }
            return tree;
        } catch (IOException e) {
            throw new ConfigException("cannot read preset " + preset + ": " + e.getMessage());
        }
    }

    /** Names of the presets shipped in the jar (discovered, see {@link Presets}). */
    public static List<String> presetNames() {
        return Presets.names();
    }

    static void apply(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("override '" + override + "' is not key=value (e.g. model.buff_siz=4096)");
        }
        String key = ReferenceKeys.canonicalKey(override.substring(0, eq).trim());
        String raw = override.substring(eq + 1).trim();
        if (ReferenceKeys.ignoredReason(key).isPresent()) {
            log.info("ignoring the reference's {}={}: {}", key, raw, ReferenceKeys.ignoredReason(key).get());
            return;
        }
        String[] parts = key.split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = parent.get(parts[i]);
            if (child == null && i == 1 && "lincls".equals(parts[0]) && LinclsConfig.isSetName(parts[1])) {
                // a new probe set, as the reference's lincls.imnet21k: it starts from the set defaults
                child = parent.set(parts[1], LinclsConfig.setTemplate()).get(parts[1]);
            }
            if (!(child instanceof ObjectNode object)) {
                throw unknownKey(key, parent, String.join(".", List.of(parts).subList(0, i)));
            }
            parent = object;
        }
        String leaf = parts[parts.length - 1];
        JsonNode old = parent.get(leaf);
        if (old == null) {
            throw unknownKey(key, parent, String.join(".", List.of(parts).subList(0, parts.length - 1)));
        }
        if (old.isObject() && old.has("type") && old.get("type").isTextual()) {
            // optim.lr_schedule=triangle: contssl's earlier scalar spelling sets the group's type
            ((ObjectNode) old).set("type", convert(key + ".type", raw, old.get("type")));
            return;
        }
        if (old.isObject()) {
            throw new ConfigException("'" + key + "' is a group, not a value: set one of its keys "
                    + keysOf((ObjectNode) old, key));
        }
        parent.set(leaf, convert(key, raw, old));
    }

    private static JsonNode convert(String key, String raw, JsonNode old) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        try {
            if (old.isArray()) {
                String body = raw.startsWith("[") && raw.endsWith("]") ? raw.substring(1, raw.length() - 1) : raw;
                ArrayNode array = f.arrayNode();
                for (String item : body.split(",")) {
                    if (!item.isBlank()) {
                        array.add(Double.parseDouble(item.trim()));
                    }
                }
                return array;
            }
            if (old.isBoolean()) {
                if (!raw.equals("true") && !raw.equals("false")) {
                    throw new NumberFormatException();
                }
                return f.booleanNode(Boolean.parseBoolean(raw));
            }
            if (old.isIntegralNumber()) {
                return f.numberNode(Long.parseLong(raw));
            }
            if (old.isNumber()) {
                return f.numberNode(Double.parseDouble(raw));
            }
            return f.textNode(raw);
        } catch (NumberFormatException e) {
            String type = old.isArray() ? "a list of numbers" : old.isBoolean() ? "true or false"
                    : old.isIntegralNumber() ? "an integer" : "a number";
            throw new ConfigException("invalid " + key + "=" + raw + ": expected " + type);
        }
    }

    private static ConfigException unknownKey(String key, ObjectNode parent, String prefix) {
        String hint = ReferenceKeys.hint(key).map(h -> " (the reference's " + key + " is " + h + " here)").orElse("");
        return new ConfigException("unknown config key '" + key + "'" + hint + "; known keys"
                + (prefix.isEmpty() ? "" : " under " + prefix) + ": " + keysOf(parent, prefix));
    }

    private static String keysOf(ObjectNode node, String prefix) {
        StringBuilder out = new StringBuilder();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            out.append(out.length() == 0 ? "" : ", ").append(prefix.isEmpty() ? "" : prefix + ".").append(names.next());
        }
        return out.toString();
    }

    private static ResolvedConfig bind(ObjectNode tree) {
        ReferenceKeys.normalise(tree);
        RunConfig config;
        try {
            config = MAPPER.treeToValue(tree, RunConfig.class);
        } catch (JsonMappingException e) {
            for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
                if (t instanceof ConfigException c) {
                    throw c; // a lincls problem phrased by LinclsConfig
                }
            }
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new ConfigException("invalid configuration at '" + path + "': " + e.getOriginalMessage()
                    .split("\n")[0]);
        } catch (JsonProcessingException e) {
            throw new ConfigException("invalid configuration: " + e.getOriginalMessage());
        }
        ConfigValidator.validate(config);
        // hash the typed values, not the YAML text: 1 and 1.0, or a reordered file, are the same experiment
        return new ResolvedConfig(config, tree, hash(MAPPER.valueToTree(config)));
    }

    /** SHA-256 over the canonical (key-sorted) JSON of the tree; 16 hex digits are plenty to tell runs apart. */
    static String hash(JsonNode tree) {
        try {
            Object canonical = MAPPER.convertValue(tree, Object.class);
            byte[] json = MAPPER.writeValueAsBytes(sortKeys(canonical));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object sortKeys(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> sorted.put(k, sortKeys(v)));
            return sorted;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(ConfigLoader::sortKeys).toList();
        }
        return node;
    }
}

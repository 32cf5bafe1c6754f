package org.contssl.steps.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code lincls} node: the probe protocol ({@code mode}, {@code eval_crop_fraction}) and any number of probe
 * sets by name, as the reference's {@code lincls.imnet}, {@code lincls.inat}, {@code lincls.imnet21k}
 * (docs/reference-system.md §9.1). The node mixes two scalar keys with named sets, so it binds through
 * {@link #fromTree}; a set given with only some of its keys (in a preset file, or created by an override) takes
 * the others from {@link #setTemplate()}.
 *
 * @param mode              {@code cached} (features once, today's fast path) or {@code reference} (re-augmented
 *                          every epoch, the reference's transforms and recipe)
 * @param evalCropFraction  eval transform: centre crop of this fraction of the resized short side; 0 = the mode's
 *                          default (cached 1.0, reference 224/256)
 * @param mappedAboveMb     {@code cached} mode: a training split whose features ({@code rows x dim x 4} bytes)
 *                          exceed this many MB streams its features to memory-mapped files and trains the linear
 *                          probe through the engine's GEMM (docs/performance.md, "Probes at ImageNet scale"); 0 =
 *                          always. Smaller sets keep the exact in-heap probe.
 * @param sets              probe sets by name, in configuration order
 */
public record LinclsConfig(String mode, double evalCropFraction, double mappedAboveMb,
                           Map<String, ProbeSetConfig> sets) {

    public static final String MODE = "mode";
    public static final String EVAL_CROP_FRACTION = "eval_crop_fraction";
    public static final String MAPPED_ABOVE_MB = "mapped_above_mb";
    /** Default of {@link #MAPPED_ABOVE_MB}: the heap path holds about four copies of the features (raw,
     * normalised, the kNN's transposed bank, the cache stream), so 512 MB of features stay well inside a few-GB heap. */
    public static final double DEFAULT_MAPPED_ABOVE_MB = 512;
    public static final String CACHED = "cached";
    public static final String REFERENCE = "reference";
    /** The two sets every configuration has: their settings apply to the built-in probes when no lists are given. */
    public static final String IMNET = "imnet";
    public static final String INAT = "inat";
    /**
     * Optional settings-only set: the schedule of a domains stream's per-domain probes and seen-domains unions, whose
     * sizes come from the domains, not from any {@code lincls.<set>}. Absent = the mode's defaults.
     */
    public static final String DOMAINS = "domains";
    private static final Pattern SET_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    public LinclsConfig {
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
    }

    /**
     * One probe set ({@code lincls.<name>.*}).
     *
     * @param role          {@code in-distribution} (the reference's ImageNet role) or {@code out-of-distribution}
     * @param trainFilelist a {@code <path> <label>} text list or a class-folder tree; empty for the built-in probe
     * @param valFilelist   likewise, the scored split
     * @param baseDir       directory the text lists' relative paths resolve against (default: the list's directory)
     * @param numClasses    classes of the probe head, checked against the labels; 0 = from the labels
     * @param optim         linear-probe schedule; 0 = the mode's default
     */
    public record ProbeSetConfig(String role, String trainFilelist, String valFilelist, String baseDir, int numClasses,
                                 Optim optim) {

        /** Whether this set names its own lists (else it only holds settings for a built-in probe). */
        public boolean userLists() {
            return !trainFilelist.isBlank() || !valFilelist.isBlank();
        }
    }

    /** {@code lincls.<name>.optim.*}; each 0 means the mode's default for this set. */
    public record Optim(int epochs, double lr, int batchSize) {
    }

    public ProbeSetConfig set(String name) {
        ProbeSetConfig s = sets.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no probe set lincls." + name + " (have " + sets.keySet() + ")");
        }
        return s;
    }

    /** The schedule of {@code name}; a set that is not configured (only {@link #DOMAINS} may be) has all defaults. */
    public Optim optim(String name) {
        ProbeSetConfig s = sets.get(name);
        if (s == null && !DOMAINS.equals(name)) {
            throw new IllegalArgumentException("no probe set lincls." + name + " (have " + sets.keySet() + ")");
        }
        return s == null ? new Optim(0, 0, 0) : s.optim();
    }

    public boolean reference() {
        return REFERENCE.equals(mode);
    }

    /** Whether {@code name} may name a new probe set (an override {@code lincls.<name>.<key>=...}). */
    public static boolean isSetName(String name) {
        return SET_NAME.matcher(name).matches() && !name.equals(MODE) && !name.equals(EVAL_CROP_FRACTION)
                && !name.equals(MAPPED_ABOVE_MB);
    }

    /** A probe set's keys with their defaults: no lists (a built-in probe), in-distribution, mode defaults. */
    public static ObjectNode setTemplate() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode set = f.objectNode();
        set.put("role", "in-distribution");
        set.put("train_filelist", "");
        set.put("val_filelist", "");
        set.put("base_dir", "");
        set.put("num_classes", 0);
        ObjectNode optim = set.putObject("optim");
        optim.put("epochs", 0);
        optim.put("lr", 0.0);
        optim.put("batch_size", 0);
        return set;
    }

    /** Binds the node; every key other than {@code mode} and {@code eval_crop_fraction} is a probe set. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static LinclsConfig fromTree(Map<String, JsonNode> tree) throws JsonMappingException {
        String mode = CACHED;
        double crop = 0;
        double mappedAbove = DEFAULT_MAPPED_ABOVE_MB;
        Map<String, ProbeSetConfig> sets = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : tree.entrySet()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.equals(MODE)) {
                mode = v.asText();
            } else if (key.equals(EVAL_CROP_FRACTION)) {
                if (!v.isNumber()) {
                    throw new ConfigException("invalid lincls.eval_crop_fraction=" + v.asText() + ": expected a number");
                }
                crop = v.asDouble();
            } else if (key.equals(MAPPED_ABOVE_MB)) {
                if (!v.isNumber()) {
                    throw new ConfigException("invalid lincls.mapped_above_mb=" + v.asText() + ": expected a number of MB");
                }
                mappedAbove = v.asDouble();
            } else if (v instanceof ObjectNode set) {
                if (!isSetName(key)) {
                    throw new ConfigException("invalid probe set name lincls." + key
                            + ": use letters, digits, '_' or '-', starting with a letter");
                }
                sets.put(key, bindSet(key, set));
            } else {
                throw new ConfigException("lincls." + key + " is neither mode, eval_crop_fraction, mapped_above_mb nor a probe set"
                        + " (lincls.<name>.train_filelist=...)");
            }
        }
        return new LinclsConfig(mode, crop, mappedAbove, sets);
    }

    private static ProbeSetConfig bindSet(String name, ObjectNode given) {
        ObjectNode merged = setTemplate();
        merge(merged, given);
        try {
            return ConfigLoader.MAPPER.treeToValue(merged, ProbeSetConfig.class);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "")
                    .reduce((a, b) -> a + "." + b).orElse("");
            throw new ConfigException("invalid lincls." + name + (path.isEmpty() ? "" : "." + path) + ": "
                    + e.getOriginalMessage().split("\n")[0]);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("invalid lincls." + name + ": " + e.getOriginalMessage());
        }
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(f -> {
            JsonNode old = into.get(f.getKey());
            if (old instanceof ObjectNode o && f.getValue() instanceof ObjectNode n) {
                merge(o, n);
            } else {
                into.set(f.getKey(), f.getValue());
            }
        });
    }

    /** The node as configured: the two scalar keys, then the sets (also what the experiment hash covers). */
    @JsonValue
    Map<String, Object> toTree() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(MODE, mode);
        out.put(EVAL_CROP_FRACTION, evalCropFraction);
        out.put(MAPPED_ABOVE_MB, mappedAboveMb);
        out.putAll(sets);
        return out;
    }
}

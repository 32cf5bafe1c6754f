package org.contssl.steps.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The reference's Hydra keys that have no contssl counterpart. Keys that would not change what is computed here
 * (multi-GPU, cluster, logging destinations, unused keys) are accepted and ignored with a logged reason, so a
 * reference command line pastes in unchanged; keys that would change the computation but are spelled differently
 * get a pointer to the contssl key in the unknown-key error. docs/configuration.md lists both tables.
 */
final class ReferenceKeys {

    /** Accepted and ignored: key → why it changes nothing in contssl. */
    static final Map<String, String> IGNORED = new LinkedHashMap<>();
    /** Not accepted: reference key → the contssl key or setting that does its job. */
    static final Map<String, String> SPELLED_DIFFERENTLY = new LinkedHashMap<>();

    private static final String ONE_PROCESS = "contssl is one process; model.buffer_shards emulates the reference's"
            + " per-GPU buffers and the global batch is trained as one batch";

    static {
        IGNORED.put("model.sync_bn", "one process already normalises every BatchNorm over the global batch of each"
                + " view, which is what SyncBatchNorm achieves across the reference's GPUs");
        for (String k : new String[] {"ngpu", "world_size", "rank", "gpu", "multiprocessing_distributed",
                "distributed", "dist_backend", "dist_url", "node", "port", "mem_gb", "slurm", "slurm_partition",
                "slurm_timeout", "nodelist", "exclude_nodes"}) {
            IGNORED.put("environment." + k, ONE_PROCESS);
        }
        IGNORED.put("environment.data_dir", "every output goes under --workdir");
        IGNORED.put("environment.resume", "contssl always resumes from the newest valid checkpoint (`restart`)");
        IGNORED.put("environment.evaluate", "unused in the reference too");
        IGNORED.put("environment.print_freq", "see logging.print_freq");
        IGNORED.put("model.main_worker", "there is one training loop");
        IGNORED.put("model.load_path", "unused in the reference too; see model.pretrained");
        IGNORED.put("optim.start_epoch", "resume state comes from the checkpoint, never from the config");
        IGNORED.put("optim.start_batch_idx", "resume state comes from the checkpoint, never from the config");
        for (String k : new String[] {"save_freq_mints", "name", "log_tb", "ckpt_dir", "tb_dir", "submitit_dir",
                "result_dir", "eval_freq", "suffix", "visualize", "retain_num_ckpt", "use_wandb", "wandb_dir",
                "wandb_username", "num_save_crops"}) {
            IGNORED.put("logging." + k, "checkpoints are written by step (logging.save_freq) and every output goes"
                    + " under --workdir");
        }
        IGNORED.put("data.name", "a label only");
        IGNORED.put("data.val_filelist", "unused by pre-training in the reference too");
        IGNORED.put("data.fn_dtype", "memmap records are 120 bytes (S120) unless data.record_width says otherwise");

        SPELLED_DIFFERENTLY.put("data.shuffle", "data.stream=iid (shuffled) or data.stream=ordered (file order)");
        SPELLED_DIFFERENTLY.put("model.arch", "model.backbone");
        SPELLED_DIFFERENTLY.put("model.backbone.arch", "model.backbone");
    }

    private ReferenceKeys() {
    }

    /** Hydra selects a config group with {@code group/option=value} (e.g. {@code model/backbone=resnet18}). */
    static String canonicalKey(String key) {
        return key.replace('/', '.');
    }

    static Optional<String> ignoredReason(String key) {
        return Optional.ofNullable(IGNORED.get(key));
    }

    static Optional<String> hint(String key) {
        String known = SPELLED_DIFFERENTLY.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        // the reference nests a probe set's class count and checkpoint choice under eval_params, for any set name
        java.util.regex.Matcher m = PROBE_EVAL_PARAMS.matcher(key);
        if (m.matches()) {
            return Optional.of("num_classes".equals(m.group(2)) ? "lincls." + m.group(1) + ".num_classes"
                    : "eval.progress (the checkpoints probed, as fractions of the steps)");
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern PROBE_EVAL_PARAMS =
            java.util.regex.Pattern.compile("lincls\\.([^.]+)\\.eval_params\\.(num_classes|resume_epoch)");

    /**
     * Brings a preset written before a key existed up to today's shape, so such a file (or a workdir's saved
     * config) still binds and still accepts overrides of the new keys: a bare {@code optim.lr_schedule: cos}
     * becomes the reference's group, and {@code model.limit_num_seen_coeff} gets the reference default (off).
     * Reference-only keys in the file are dropped (they change nothing, see {@link #IGNORED}).
     */
    static void normalise(ObjectNode tree) {
        if (tree.get("optim") instanceof ObjectNode optim) {
            JsonNode schedule = optim.get("lr_schedule");
            if (schedule != null && schedule.isTextual()) {
                ObjectNode group = optim.objectNode();
                group.put("type", schedule.asText());
                group.put("period", org.contssl.model.optim.LrSchedule.DEFAULT_PERIOD);
                group.put("max_lr", org.contssl.model.optim.LrSchedule.DEFAULT_MAX_LR);
                group.put("exit_decay", 0.0);
                optim.set("lr_schedule", group);
            }
        }
        if (tree.get("model") instanceof ObjectNode model && !model.has("limit_num_seen_coeff")) {
            model.put("limit_num_seen_coeff", -1.0);
        }
        for (String key : IGNORED.keySet()) {
            int dot = key.indexOf('.');
            if (tree.get(key.substring(0, dot)) instanceof ObjectNode group) {
                group.remove(key.substring(dot + 1));
            }
        }
    }
}

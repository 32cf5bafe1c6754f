package org.contssl.reports.results;

import com.fasterxml.jackson.annotation.JsonValue;

/** What produced the probed features: the pretrained checkpoint, or one of the two floors every table shows. */
public enum EncoderKind {
    TRAINED("trained", "trained encoder"),
    RANDOM_INIT("random-init", "random-init encoder (floor)"),
    RAW_PIXELS("raw-pixels", "raw pixels (floor)");

    private final String key;
    private final String title;

    EncoderKind(String key, String title) {
        this.key = key;
        this.title = title;
    }

    @JsonValue
    public String key() { return key; }

    public String title() { return title; }
}

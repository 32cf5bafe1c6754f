package org.contssl.reports.results;

import com.fasterxml.jackson.annotation.JsonValue;

/** The reference's two downstream roles: ImageNet = in-distribution, iNaturalist = out-of-distribution. */
public enum DatasetRole {
    IN_DISTRIBUTION("in-distribution"),
    OUT_OF_DISTRIBUTION("out-of-distribution");

    private final String key;

    DatasetRole(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() { return key; }
}

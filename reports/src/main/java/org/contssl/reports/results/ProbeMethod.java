package org.contssl.reports.results;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the frozen features were scored. */
public enum ProbeMethod {
    LINEAR("linear", "linear probe"),
    KNN("knn", "cosine kNN");

    private final String key;
    private final String title;

    ProbeMethod(String key, String title) {
        this.key = key;
        this.title = title;
    }

    @JsonValue
    public String key() { return key; }

    public String title() { return title; }
}

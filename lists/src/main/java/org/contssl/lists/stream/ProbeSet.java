package org.contssl.lists.stream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.List;

/**
 * A labelled probe: train and test lists (memmap + labels) over images that never appear in the stream.
 *
 * @param role "in-distribution" (the reference's ImageNet role) or "out-of-distribution" (its iNat role)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProbeSet(String name, String role, Path trainList, Path testList, int numClasses,
                       List<String> classNames, long trainCount, long testCount) {

    public static final String IN_DISTRIBUTION = "in-distribution";
    public static final String OUT_OF_DISTRIBUTION = "out-of-distribution";
}

package org.contssl.steps.pretrain;

import java.util.ArrayList;
import java.util.List;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;

/**
 * How the buffer's composition is counted: by domain for a domains stream (which domain's slice of the stream
 * each entry came from), else by class when the stream has labels, else a single "unlabelled" group.
 */
final class CompositionGroups {

    private final MemmapList stream;
    private final List<String> names;
    private final long[] domainStarts;
    private final boolean byLabel;

    private CompositionGroups(MemmapList stream, List<String> names, long[] domainStarts, boolean byLabel) {
        this.stream = stream;
        this.names = names;
        this.domainStarts = domainStarts;
        this.byLabel = byLabel;
    }

    static CompositionGroups of(MemmapList stream) {
        ListMetadata meta = stream.metadata();
        if (meta != null && meta.domains() != null && !meta.domains().isEmpty()) {
            List<String> names = meta.domains().stream().map(ListMetadata.DomainSpan::name).toList();
            long[] starts = meta.domains().stream().mapToLong(ListMetadata.DomainSpan::start).toArray();
            return new CompositionGroups(stream, names, starts, false);
        }
        if (stream.hasLabels() && meta != null && meta.numClasses() != null && meta.numClasses() > 0) {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < meta.numClasses(); c++) {
                String name = meta.classNames() != null && c < meta.classNames().size() ? meta.classNames().get(c)
                        : "class" + c;
                names.add(name.replaceAll("[,\"\\s]+", "_"));
            }
            return new CompositionGroups(stream, names, null, true);
        }
        return new CompositionGroups(stream, List.of("unlabelled"), null, false);
    }

    List<String> names() {
        return names;
    }

    long[] count(long[] indices) {
        long[] counts = new long[names.size()];
        for (long index : indices) {
            counts[group(index)]++;
        }
        return counts;
    }

    private int group(long index) {
        if (domainStarts != null) {
            int g = 0;
            while (g + 1 < domainStarts.length && index >= domainStarts[g + 1]) {
                g++;
            }
            return g;
        }
        if (byLabel) {
            int label = stream.labelAt(index);
            return label >= 0 && label < names.size() ? label : 0;
        }
        return 0;
    }
}

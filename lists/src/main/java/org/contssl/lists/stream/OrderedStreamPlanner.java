package org.contssl.lists.stream;

import java.util.Arrays;

/**
 * {@link StreamKind#ORDERED}: the same source images as the i.i.d. stream of the seed, in the pool's own order (the
 * reference's {@code shuffle: False}).
 */
final class OrderedStreamPlanner extends PoolStreamPlanner {

    @Override
    StreamKind kind() {
        return StreamKind.ORDERED;
    }

    @Override
    void arrange(int[] sources) {
        Arrays.sort(sources);
    }
}

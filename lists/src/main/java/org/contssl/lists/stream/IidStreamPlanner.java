package org.contssl.lists.stream;

/** {@link StreamKind#IID}: the pool's source images in their seeded-permutation order (one fixed shuffle). */
final class IidStreamPlanner extends PoolStreamPlanner {

    @Override
    StreamKind kind() {
        return StreamKind.IID;
    }
}

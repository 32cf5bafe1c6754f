package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code data.type=standard}: a text list, one image per line, the first space-separated token being the path under
 * {@code data.base_dir} (docs/reference-system.md §3.1 (e)). {@code data.stream=iid} visits the images in a seeded
 * shuffle (the reference's {@code shuffle: True}), {@code ordered} in the list's order.
 */
final class TextListPlanner extends TextStreamPlanner {

    @Override
    ListType type() {
        return ListType.STANDARD;
    }

    @Override
    Records records(PlanContext ctx, Path list, Path baseDir) {
        List<String> paths = TextListReader.imagePaths(list);
        int[] order = order(ctx.req(), paths.size(), "shuffle:standard");
        List<String> out = new ArrayList<>(paths.size());
        for (int i : order) {
            out.add(paths.get(i));
        }
        return new Records(out, null, null, null);
    }
}

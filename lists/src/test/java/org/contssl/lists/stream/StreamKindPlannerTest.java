package org.contssl.lists.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.contssl.lists.ListFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner registry: every request the builder accepts has exactly one planner, and it is the right one. */
class StreamKindPlannerTest {

    @TempDir
    Path dir;

    @Test
    void everyValidRequestIsAcceptedByExactlyOnePlanner() {
        List<String> sources = List.of("fashion-mnist", "mnist", "folder:" + dir.resolve("photos"), "memmap",
                "standard", "sequential", "class_sequential");
        int valid = 0;
        for (String source : sources) {
            for (StreamKind kind : StreamKind.values()) {
                StreamRequest.Builder b = StreamRequest.builder(dir.resolve("w")).kind(kind);
                boolean list = !source.equals("fashion-mnist") && !source.equals("mnist") && !source.startsWith("folder:");
                if (list) {
                    b.trainFilelist(dir.resolve("own.list")).listType(ListType.parse(source));
                } else {
                    b.source(source);
                }
                StreamRequest req;
                try {
                    req = b.build();
                } catch (ListFormatException rejected) {
                    continue; // e.g. domains from mnist, sequential from a list
                }
                valid++;
                List<StreamKindPlanner> accepting = new ArrayList<>();
                for (StreamKindPlanner p : StreamPlanner.PLANNERS) {
                    if (p.accepts(req)) {
                        accepting.add(p);
                    }
                }
                assertThat(accepting).as(kind + " from " + source).hasSize(1);
                Class<?> expected = list ? switch (ListType.parse(source)) {
                    case MEMMAP -> OwnListPlanner.class;
                    case STANDARD -> TextListPlanner.class;
                    case SEQUENTIAL -> FrameListPlanner.class;
                    case CLASS_SEQUENTIAL -> ClassSequentialPlanner.class;
                } : switch (kind) {
                    case IID -> IidStreamPlanner.class;
                    case ORDERED -> OrderedStreamPlanner.class;
                    case SEQUENTIAL -> SequentialClipsPlanner.class;
                    case DOMAINS -> DomainsPlanner.class;
                };
                assertThat(StreamPlanner.plannerFor(req)).isInstanceOf(expected);
            }
        }
        // 3 pool sources x 3 pool kinds, domains from fashion-mnist, iid and ordered from each of the 4 list types
        assertThat(valid).isEqualTo(3 * 3 + 1 + 4 * 2);
    }
}

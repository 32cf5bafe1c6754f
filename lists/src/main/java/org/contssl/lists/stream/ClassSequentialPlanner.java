package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code data.type=class_sequential}: a class-folder tree or a labelled list visited as the reference's
 * {@code ClassSequentialDataset} (docs/reference-system.md §3.2): the images of each class are shuffled, then
 * repeatedly a class is drawn uniformly among those with images left and its next {@code data.n_cls_samples} images
 * join the stream, until every class is exhausted. With {@code n_cls_samples <= 0} the list's own order is kept.
 * Labels are the class ids (class names in sorted order, numerically if they are all integers), so the buffer's
 * class composition is reported. The shuffles and the class draws derive from the run seed; {@code data.stream}
 * does not change this order.
 */
final class ClassSequentialPlanner extends TextStreamPlanner {

    @Override
    ListType type() {
        return ListType.CLASS_SEQUENTIAL;
    }

    @Override
    Records records(PlanContext ctx, Path list, Path baseDir) {
        StreamRequest req = ctx.req();
        List<TextListReader.Labelled> items = TextListReader.labelled(list);
        List<String> classNames = items.stream().map(TextListReader.Labelled::className).distinct()
                .sorted(classOrder(items)).toList();
        Map<String, Integer> classId = new LinkedHashMap<>();
        for (String c : classNames) {
            classId.put(c, classId.size());
        }
        List<String> out = new ArrayList<>(items.size());
        int[] labels = new int[items.size()];
        int k = req.clsSamples();
        if (k <= 0) {
            for (TextListReader.Labelled it : items) {
                labels[out.size()] = classId.get(it.className());
                out.add(it.path());
            }
            return new Records(out, labels, classNames, null);
        }
        List<List<String>> byClass = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (TextListReader.Labelled it : items) {
            byClass.get(classId.get(it.className())).add(it.path());
        }
        List<Integer> remaining = new ArrayList<>();
        int[] next = new int[byClass.size()];
        for (int c = 0; c < byClass.size(); c++) {
            List<String> images = byClass.get(c);
            int[] perm = Seeds.permutation(images.size(), Seeds.derive(req.seed(), "class-shuffle:" + classNames.get(c)));
            List<String> shuffled = new ArrayList<>(images.size());
            for (int i : perm) {
                shuffled.add(images.get(i));
            }
            byClass.set(c, shuffled);
            if (!shuffled.isEmpty()) {
                remaining.add(c);
            }
        }
        SplittableRandom draw = new SplittableRandom(Seeds.derive(req.seed(), "class-visits"));
        while (!remaining.isEmpty()) {
            int pick = draw.nextInt(remaining.size());
            int c = remaining.get(pick);
            List<String> images = byClass.get(c);
            int end = Math.min(images.size(), next[c] + k);
            for (int i = next[c]; i < end; i++) {
                labels[out.size()] = c;
                out.add(images.get(i));
            }
            next[c] = end;
            if (end == images.size()) {
                remaining.remove(pick);
            }
        }
        return new Records(out, labels, classNames, null);
    }

    /** Sorted names; numeric labels ({@code <path> <int>} lines) sort as numbers, so class id 2 precedes 10. */
    private static Comparator<String> classOrder(List<TextListReader.Labelled> items) {
        boolean numeric = items.stream().allMatch(it -> it.className().matches("-?[0-9]{1,9}"));
        return numeric ? Comparator.comparingInt(Integer::parseInt) : Comparator.naturalOrder();
    }
}

package org.contssl.steps.pretrain;

import java.nio.file.Path;
import org.contssl.lists.MemmapList;

/**
 * One record of the stream as the pretrain step reads it: its (post-subsample) stream position — the one
 * index every consumer uses — the image file, its label (-1 when unknown; diagnostics only), and the epoch
 * of a multi-epoch run.
 */
public record StreamItem(long index, Path file, int label, int epoch) {

    /** Record {@code index} of {@code list}, read in {@code epoch}. */
    public static StreamItem of(MemmapList list, long index, int epoch) {
        return new StreamItem(index, list.resolve(index), list.hasLabels() ? list.labelAt(index) : -1, epoch);
    }

    /** Record {@code index} of {@code list}, read in {@code epoch}, standing for the file {@code files} names. */
    public static StreamItem of(StreamFiles files, MemmapList list, long index, int epoch) {
        return new StreamItem(index, files.atInsert(index), list.hasLabels() ? list.labelAt(index) : -1, epoch);
    }
}

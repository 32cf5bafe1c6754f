package org.contssl.steps.pretrain;

import java.nio.file.Path;

/**
 * One record of the stream as the pretrain step reads it: its (post-subsample) stream position — the one
 * index every consumer uses — the image file, its label (-1 when unknown; diagnostics only), and the epoch
 * of a multi-epoch run.
 */
public record StreamItem(long index, Path file, int label, int epoch) {
}

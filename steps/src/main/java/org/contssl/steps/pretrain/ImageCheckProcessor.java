package org.contssl.steps.pretrain;

import org.contssl.model.data.ImageDecoder;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Decodes each incoming stream image once before it may enter the buffer. A file that is missing, empty,
 * truncated, not an image, or declares too many pixels raises {@link org.contssl.model.data.ImageDecodeException},
 * which the step's skip policy skips and counts: a skipped sample never enters the buffer.
 */
public class ImageCheckProcessor implements ItemProcessor<StreamItem, StreamItem> {

    private final ImageDecoder decoder;

    public ImageCheckProcessor(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public StreamItem process(StreamItem item) throws Exception {
        decoder.decode(item.file());
        return item;
    }
}

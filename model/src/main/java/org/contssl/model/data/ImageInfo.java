package org.contssl.model.data;

/**
 * What a file's header declares, read without decoding the pixels.
 *
 * @param channels channels of the decoded image (1 grey, 3 RGB); 0 where the header alone does not tell
 */
public record ImageInfo(ImageFormat format, int width, int height, int channels) {

    public long pixelCount() {
        return (long) width * height;
    }
}

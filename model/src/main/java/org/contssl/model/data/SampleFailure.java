package org.contssl.model.data;

import java.nio.file.Path;

/**
 * A sample of a batch whose image could not be decoded; its slots in the view arrays are zero.
 *
 * @param index   position in the submitted batch
 * @param file    the file
 * @param reason  why, for counting
 * @param message one line naming the file, the problem and what to do
 */
public record SampleFailure(int index, Path file, ImageDecodeException.Reason reason, String message) {

    static SampleFailure of(int index, ImageDecodeException e) {
        return new SampleFailure(index, e.file(), e.reason(), e.getMessage());
    }
}

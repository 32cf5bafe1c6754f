/**
 * The data path of SimSiam training, without DJL: plain arrays, unit-testable, thread-safe.
 *
 * <ul>
 *   <li>{@link org.contssl.model.data.ImageDecoder}: file → {@link org.contssl.model.data.DecodedImage} (8-bit grey
 *       or RGB). PNG and PGM/PPM are decoded here, JPEG/GIF/BMP/TIFF through ImageIO. Anything unusable raises
 *       {@link org.contssl.model.data.ImageDecodeException} with a {@code Reason} (MISSING, EMPTY, TRUNCATED,
 *       NOT_AN_IMAGE, CORRUPT, UNSUPPORTED, TOO_LARGE, UNREADABLE) and a one-line message; the declared pixel count
 *       is checked before any pixel buffer exists.</li>
 *   <li>{@link org.contssl.model.data.SimSiamAugment}: one view of docs/reference-system.md §4 from a
 *       {@code long} seed, written as normalised float CHW at an offset of the caller's array.
 *       {@link org.contssl.model.data.EvalTransform}: resize + centre crop + normalise, and raw [0, 1] pixels.</li>
 *   <li>{@link org.contssl.model.data.AugmentPool}: decode once, augment twice, on worker threads, a bounded number
 *       of batches ahead; per-sample failures in the {@link org.contssl.model.data.ViewBatch}; optional LRU cache
 *       of decoded images ({@link org.contssl.model.data.DecodedImageCache}) for replayed samples.</li>
 * </ul>
 *
 * <p>Determinism: a view is a pure function of (decoded image, view seed); the pool derives view seeds with
 * {@link org.contssl.model.data.SeedMix#viewSeed}, and each sample writes only its own slots, so thread count,
 * scheduling and the cache never change a float.
 *
 * <p>Fidelity to the reference (PIL + torchvision 0.13/0.14), checked by {@code TorchvisionParityTest}: crops and
 * resizing use PIL's antialiased bilinear filter; jitter, greyscale and flip follow torchvision's tensor ops; the
 * blur is PIL's three-pass extended-box Gaussian. Everything stays float between operations where PIL rounds to
 * uint8, hence differences of about one grey level (up to three after the blur's six passes).
 */
package org.contssl.model.data;

package org.contssl.model.data;

import java.util.Arrays;

/**
 * The random choices of one augmented view, drawn by {@link SimSiamAugment#sample}. Exposed so tests and reports can
 * check the distributions, and so a single operation can be applied on its own.
 *
 * @param top        crop row in the source image
 * @param left       crop column
 * @param height     crop height in source pixels
 * @param width      crop width
 * @param jitter     whether ColorJitter runs
 * @param order      the order of the four jitter operations, a permutation of {@link #BRIGHTNESS}, {@link #CONTRAST},
 *                   {@link #SATURATION}, {@link #HUE}
 * @param brightness brightness factor
 * @param contrast   contrast factor
 * @param saturation saturation factor
 * @param hue        hue shift in turns
 * @param gray       whether RandomGrayscale fires
 * @param blur       whether the Gaussian blur runs
 * @param sigma      blur σ in output pixels
 * @param flip       whether the view is mirrored horizontally
 */
public record ViewParams(int top, int left, int height, int width, boolean jitter, int[] order, float brightness,
                         float contrast, float saturation, float hue, boolean gray, boolean blur, double sigma,
                         boolean flip) {

    public static final int BRIGHTNESS = 0;
    public static final int CONTRAST = 1;
    public static final int SATURATION = 2;
    public static final int HUE = 3;

    public ViewParams {
        order = order.clone();
    }

    @Override
    public int[] order() {
        return order.clone();
    }

    /** Crop only: no jitter, grey, blur or flip (what an identity-colour test needs). */
    public static ViewParams cropOnly(int top, int left, int height, int width) {
        return new ViewParams(top, left, height, width, false, new int[]{0, 1, 2, 3}, 1f, 1f, 1f, 0f, false, false,
                1.0, false);
    }

    public ViewParams withJitter(int[] order, float brightness, float contrast, float saturation, float hue) {
        return new ViewParams(top, left, height, width, true, order, brightness, contrast, saturation, hue, gray, blur,
                sigma, flip);
    }

    public ViewParams withGray(boolean g) {
        return new ViewParams(top, left, height, width, jitter, order, brightness, contrast, saturation, hue, g, blur,
                sigma, flip);
    }

    public ViewParams withBlur(double s) {
        return new ViewParams(top, left, height, width, jitter, order, brightness, contrast, saturation, hue, gray, true,
                s, flip);
    }

    public ViewParams withFlip(boolean f) {
        return new ViewParams(top, left, height, width, jitter, order, brightness, contrast, saturation, hue, gray, blur,
                sigma, f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ViewParams p && top == p.top && left == p.left && height == p.height && width == p.width
                && jitter == p.jitter && Arrays.equals(order, p.order) && brightness == p.brightness
                && contrast == p.contrast && saturation == p.saturation && hue == p.hue && gray == p.gray
                && blur == p.blur && sigma == p.sigma && flip == p.flip;
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "ViewParams[crop=" + left + "," + top + " " + width + "x" + height + ", jitter=" + jitter
                + Arrays.toString(order) + " b=" + brightness + " c=" + contrast + " s=" + saturation + " h=" + hue
                + ", gray=" + gray + ", blur=" + blur + " σ=" + sigma + ", flip=" + flip + "]";
    }
}

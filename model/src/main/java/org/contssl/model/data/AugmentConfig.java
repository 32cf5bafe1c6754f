package org.contssl.model.data;

import java.util.Arrays;

/**
 * Parameters of the SimSiam view pipeline (docs/reference-system.md §4) and of the eval transform. {@link #simsiam}
 * gives the reference's values at any output size; use {@link #toBuilder()} to change single knobs.
 *
 * @param outSize          side of the square output (the reference: 224)
 * @param outChannels      1 (grey) or 3 (RGB); inputs are converted as PIL's {@code convert("L"/"RGB")} would
 * @param scaleMin         RandomResizedCrop area fraction, lower bound (0.2)
 * @param scaleMax         upper bound (1.0)
 * @param ratioMin         aspect ratio w/h lower bound (3/4), sampled log-uniformly
 * @param ratioMax         upper bound (4/3)
 * @param jitterProb       probability of applying ColorJitter (0.8)
 * @param brightness       brightness factor drawn from [1-b, 1+b] (0.4)
 * @param contrast         contrast factor range, likewise (0.4)
 * @param saturation       saturation factor range, likewise (0.4)
 * @param hue              hue shift drawn from [-h, h] turns (0.1)
 * @param grayProb         probability of RandomGrayscale (0.2)
 * @param blurProb         probability of the Gaussian blur (0.5)
 * @param sigmaMin         blur σ lower bound in output pixels (0.1; chosen for 224 px outputs)
 * @param sigmaMax         upper bound (2.0)
 * @param flipProb         horizontal flip probability (0.5)
 * @param mean             per-channel Normalize mean on the 0..1 scale
 * @param std              per-channel Normalize std
 * @param evalCropFraction eval transform: resize the short side to {@code outSize / evalCropFraction}, then take the
 *                         centre {@code outSize} square (1.0 = whole short side; 0.875 = ImageNet's 256→224)
 */
public record AugmentConfig(int outSize, int outChannels,
                            double scaleMin, double scaleMax, double ratioMin, double ratioMax,
                            double jitterProb, double brightness, double contrast, double saturation, double hue,
                            double grayProb, double blurProb, double sigmaMin, double sigmaMax, double flipProb,
                            float[] mean, float[] std, double evalCropFraction) {

    /** ImageNet statistics, the reference's Normalize for RGB. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** Fashion-MNIST training-set statistics for grey inputs. */
    public static final float[] FASHION_MNIST_MEAN = {0.2860f};
    public static final float[] FASHION_MNIST_STD = {0.3530f};

    public AugmentConfig {
        mean = mean.clone();
        std = std.clone();
        require(outSize >= 1, "outSize", outSize, "must be at least 1");
        require(outChannels == 1 || outChannels == 3, "outChannels", outChannels, "must be 1 or 3");
        require(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1, "scaleMin/scaleMax",
                scaleMin + "/" + scaleMax, "need 0 < min <= max <= 1");
        require(ratioMin > 0 && ratioMin <= ratioMax, "ratioMin/ratioMax", ratioMin + "/" + ratioMax,
                "need 0 < min <= max");
        requireProb(jitterProb, "jitterProb");
        requireProb(grayProb, "grayProb");
        requireProb(blurProb, "blurProb");
        requireProb(flipProb, "flipProb");
        require(brightness >= 0 && brightness <= 1, "brightness", brightness, "must be in [0, 1]");
        require(contrast >= 0 && contrast <= 1, "contrast", contrast, "must be in [0, 1]");
        require(saturation >= 0 && saturation <= 1, "saturation", saturation, "must be in [0, 1]");
        require(hue >= 0 && hue <= 0.5, "hue", hue, "must be in [0, 0.5]");
        require(sigmaMin > 0 && sigmaMin <= sigmaMax && sigmaMax <= 64, "sigmaMin/sigmaMax",
                sigmaMin + "/" + sigmaMax, "need 0 < min <= max <= 64");
        require(mean.length == outChannels && std.length == outChannels, "mean/std",
                mean.length + "/" + std.length + " values", "need one value per output channel (" + outChannels + ")");
        for (float s : std) {
            require(s > 0, "std", Arrays.toString(std), "every value must be positive");
        }
        require(evalCropFraction > 0 && evalCropFraction <= 1, "evalCropFraction", evalCropFraction,
                "must be in (0, 1]");
    }

    private static void require(boolean ok, String option, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("augmentation option " + option + " = " + value + ": " + rule);
        }
    }

    private static void requireProb(double p, String option) {
        require(p >= 0 && p <= 1, option, p, "must be a probability in [0, 1]");
    }

    /** The reference's recipe at a configurable size and channel count, with the default statistics. */
    public static AugmentConfig simsiam(int outSize, int outChannels) {
        return new AugmentConfig(outSize, outChannels, 0.2, 1.0, 3.0 / 4.0, 4.0 / 3.0,
                0.8, 0.4, 0.4, 0.4, 0.1, 0.2, 0.5, 0.1, 2.0, 0.5,
                outChannels == 3 ? IMAGENET_MEAN : FASHION_MNIST_MEAN,
                outChannels == 3 ? IMAGENET_STD : FASHION_MNIST_STD, 1.0);
    }

    /** Floats per sample in an output array: {@code outChannels * outSize * outSize}. */
    public int sampleLength() {
        return outChannels * outSize * outSize;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AugmentConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "AugmentConfig[outSize=" + outSize + ", outChannels=" + outChannels + ", scale=" + scaleMin + ".."
                + scaleMax + ", ratio=" + ratioMin + ".." + ratioMax + ", jitter=" + jitterProb + "@" + brightness + "/"
                + contrast + "/" + saturation + "/" + hue + ", grayProb=" + grayProb + ", blur=" + blurProb + "@"
                + sigmaMin + ".." + sigmaMax + ", flipProb=" + flipProb + ", mean=" + Arrays.toString(mean)
                + ", std=" + Arrays.toString(std) + ", evalCropFraction=" + evalCropFraction + "]";
    }

    /** Changes single knobs of an existing configuration. */
    public static final class Builder {
        private int outSize;
        private int outChannels;
        private double scaleMin;
        private double scaleMax;
        private double ratioMin;
        private double ratioMax;
        private double jitterProb;
        private double brightness;
        private double contrast;
        private double saturation;
        private double hue;
        private double grayProb;
        private double blurProb;
        private double sigmaMin;
        private double sigmaMax;
        private double flipProb;
        private float[] mean;
        private float[] std;
        private double evalCropFraction;

        private Builder(AugmentConfig c) {
            outSize = c.outSize;
            outChannels = c.outChannels;
            scaleMin = c.scaleMin;
            scaleMax = c.scaleMax;
            ratioMin = c.ratioMin;
            ratioMax = c.ratioMax;
            jitterProb = c.jitterProb;
            brightness = c.brightness;
            contrast = c.contrast;
            saturation = c.saturation;
            hue = c.hue;
            grayProb = c.grayProb;
            blurProb = c.blurProb;
            sigmaMin = c.sigmaMin;
            sigmaMax = c.sigmaMax;
            flipProb = c.flipProb;
            mean = c.mean;
            std = c.std;
            evalCropFraction = c.evalCropFraction;
        }

        public Builder outSize(int v) {
            outSize = v;
            return this;
        }

        /** Also resets mean/std to the defaults for that channel count; call {@link #normalize} after to override. */
        public Builder outChannels(int v) {
            outChannels = v;
            mean = v == 3 ? IMAGENET_MEAN : FASHION_MNIST_MEAN;
            std = v == 3 ? IMAGENET_STD : FASHION_MNIST_STD;
            return this;
        }

        public Builder scale(double min, double max) {
            scaleMin = min;
            scaleMax = max;
            return this;
        }

        public Builder ratio(double min, double max) {
            ratioMin = min;
            ratioMax = max;
            return this;
        }

        public Builder jitter(double prob, double brightness, double contrast, double saturation, double hue) {
            this.jitterProb = prob;
            this.brightness = brightness;
            this.contrast = contrast;
            this.saturation = saturation;
            this.hue = hue;
            return this;
        }

        public Builder grayProb(double v) {
            grayProb = v;
            return this;
        }

        public Builder blur(double prob, double sigmaMin, double sigmaMax) {
            this.blurProb = prob;
            this.sigmaMin = sigmaMin;
            this.sigmaMax = sigmaMax;
            return this;
        }

        public Builder flipProb(double v) {
            flipProb = v;
            return this;
        }

        public Builder normalize(float[] mean, float[] std) {
            this.mean = mean.clone();
            this.std = std.clone();
            return this;
        }

        public Builder evalCropFraction(double v) {
            evalCropFraction = v;
            return this;
        }

        public AugmentConfig build() {
            return new AugmentConfig(outSize, outChannels, scaleMin, scaleMax, ratioMin, ratioMax, jitterProb,
                    brightness, contrast, saturation, hue, grayProb, blurProb, sigmaMin, sigmaMax, flipProb, mean, std,
                    evalCropFraction);
        }
    }
}

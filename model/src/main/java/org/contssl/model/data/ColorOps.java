package org.contssl.model.data;

/**
 * torchvision's colour operations on planar float images in 0..255 (one plane for grey, three for RGB), each
 * followed by a clamp to 0..255 as torchvision does after every op. On one plane saturation, hue and greyscale are
 * identities, as torchvision defines them for 1-channel images.
 *
 * <p>The methods here are the definitions; when the jdk.incubator.vector module is present they run as
 * {@link VectorColorOps}, which gives the same floats bit for bit (checked once at class load, and by
 * {@code ColorOpsVectorTest} on random and edge-case planes). The {@code *Scalar} methods are the definitions themselves.
 */
final class ColorOps {

    /** Whether the vector kernels are in use (else the scalar ones; {@code -Dcontssl.model.scalarColor=true}). */
    static final boolean VECTORIZED = pickVector();

    /** ITU-R 601 luma weights, as PIL's {@code convert("L")}. */
    static final float LR = 0.299f;
    static final float LG = 0.587f;
    static final float LB = 0.114f;

    private ColorOps() {
    }

    static float luma(float r, float g, float b) {
        return LR * r + LG * g + LB * b;
    }

    static float clamp(float v) {
        return v < 0f ? 0f : Math.min(v, 255f);
    }

    private static boolean pickVector() {
        return VectorKernels.enabled("contssl.model.scalarColor", () -> {
            // a small plane with grey, clipped and all-sector pixels
            int n = 67;
            float[] a = VectorKernels.plane(3 * n, 42, 300, -20);
            for (int i = 0; i < a.length; i += 7) {
                a[i] = a[Math.max(i - n, 0)];
            }
            float[] b = a.clone();
            brightnessScalar(a, 3, n, 1.3f);
            VectorColorOps.brightness(b, 3, n, 1.3f);
            contrastScalar(a, 3, n, 0.7f);
            VectorColorOps.contrast(b, 3, n, 0.7f);
            saturationScalar(a, n, 1.4f, 0);
            VectorColorOps.saturation(b, n, 1.4f);
            hueScalar(a, n, 0.37f, 0);
            VectorColorOps.hue(b, n, 0.37f);
            grayscaleScalar(a, n, 0);
            VectorColorOps.grayscale(b, n);
            return VectorKernels.sameBits(a, b, a.length);
        });
    }

    /** {@code adjust_brightness}: blend with black. */
    static void brightness(float[] img, int planes, int n, float f) {
        if (VECTORIZED) {
            VectorColorOps.brightness(img, planes, n, f);
        } else {
            brightnessScalar(img, planes, n, f);
        }
    }

    static void brightnessScalar(float[] img, int planes, int n, float f) {
        int len = planes * n;
        for (int i = 0; i < len; i++) {
            img[i] = clamp(img[i] * f);
        }
    }

    /** {@code adjust_contrast}: blend with the mean grey level of the whole image. */
    static void contrast(float[] img, int planes, int n, float f) {
        if (VECTORIZED) {
            VectorColorOps.contrast(img, planes, n, f);
        } else {
            contrastScalar(img, planes, n, f);
        }
    }

    static void contrastScalar(float[] img, int planes, int n, float f) {
        float add = contrastOffset(img, planes, n, f);
        int len = planes * n;
        for (int i = 0; i < len; i++) {
            img[i] = clamp(f * img[i] + add);
        }
    }

    /** {@code (1 - f) * mean grey}: the mean is a double sum in pixel order, which fixes its rounding. */
    static float contrastOffset(float[] img, int planes, int n, float f) {
        double sum = 0;
        if (planes == 1) {
            for (int i = 0; i < n; i++) {
                sum += img[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                sum += luma(img[i], img[n + i], img[2 * n + i]);
            }
        }
        return (float) ((1 - f) * (sum / n));
    }

    /** {@code adjust_saturation}: blend each pixel with its own grey level. */
    static void saturation(float[] img, int planes, int n, float f) {
        if (planes == 1) {
            return;
        }
        if (VECTORIZED) {
            VectorColorOps.saturation(img, n, f);
        } else {
            saturationScalar(img, n, f, 0);
        }
    }

    /** Saturation of three planes from pixel {@code from} on. */
    static void saturationScalar(float[] img, int n, float f, int from) {
        float g1 = 1 - f;
        for (int i = from; i < n; i++) {
            float r = img[i];
            float g = img[n + i];
            float b = img[2 * n + i];
            float l = g1 * luma(r, g, b);
            img[i] = clamp(f * r + l);
            img[n + i] = clamp(f * g + l);
            img[2 * n + i] = clamp(f * b + l);
        }
    }

    /** {@code adjust_hue}: rotate the hue by {@code shift} turns (in [-0.5, 0.5]) through HSV, as torchvision. */
    static void hue(float[] img, int planes, int n, float shift) {
        if (planes == 1 || shift == 0f) {
            return;
        }
        if (VECTORIZED) {
            VectorColorOps.hue(img, n, shift);
        } else {
            hueScalar(img, n, shift, 0);
        }
    }

    /** Hue rotation of three planes from pixel {@code from} on. */
    static void hueScalar(float[] img, int n, float shift, int from) {
        float shift6 = shift * 6f;
        for (int i = from; i < n; i++) {
            float r = img[i];
            float g = img[n + i];
            float b = img[2 * n + i];
            float maxc = Math.max(r, Math.max(g, b));
            float minc = Math.min(r, Math.min(g, b));
            float cr = maxc - minc;
            if (cr == 0f) {
                continue; // grey pixel: hue undefined, unchanged
            }
            // Hue in sixths of a turn, as torchvision's _rgb2hsv; v and s stay on the 0..255 scale (v*(1-s*f)
            // below is scale-invariant), which saves two divisions per pixel.
            float inv = 1f / cr;
            float h6;
            if (maxc == r) {
                h6 = (g - b) * inv;
            } else if (maxc == g) {
                h6 = 2f + (b - r) * inv;
            } else {
                h6 = 4f + (r - g) * inv;
            }
            h6 += shift6;
            // h6 lies in [-4, 8): the base hue is in [-1, 5) and the shift in [-3, 3]; wrap into [0, 6).
            if (h6 < 0f) {
                h6 += 6f;
            } else if (h6 >= 6f) {
                h6 -= 6f;
            }
            int sector = Math.min((int) h6, 5);
            float fr = h6 - sector;
            float v = maxc;
            float p = minc; // v * (1 - s) with s = cr / maxc
            float q = v - cr * fr; // v * (1 - s * f)
            float t = v - cr * (1f - fr); // v * (1 - s * (1 - f))
            float nr;
            float ng;
            float nb;
            switch (sector) {
                case 0 -> {
                    nr = v;
                    ng = t;
                    nb = p;
                }
                case 1 -> {
                    nr = q;
                    ng = v;
                    nb = p;
                }
                case 2 -> {
                    nr = p;
                    ng = v;
                    nb = t;
                }
                case 3 -> {
                    nr = p;
                    ng = q;
                    nb = v;
                }
                case 4 -> {
                    nr = t;
                    ng = p;
                    nb = v;
                }
                default -> {
                    nr = v;
                    ng = p;
                    nb = q;
                }
            }
            img[i] = clamp(nr);
            img[n + i] = clamp(ng);
            img[2 * n + i] = clamp(nb);
        }
    }

    /** {@code rgb_to_grayscale} keeping three channels (RandomGrayscale's output). */
    static void grayscale(float[] img, int planes, int n) {
        if (planes == 1) {
            return;
        }
        if (VECTORIZED) {
            VectorColorOps.grayscale(img, n);
        } else {
            grayscaleScalar(img, n, 0);
        }
    }

    /** Greyscale of three planes from pixel {@code from} on. */
    static void grayscaleScalar(float[] img, int n, int from) {
        for (int i = from; i < n; i++) {
            float l = luma(img[i], img[n + i], img[2 * n + i]);
            img[i] = l;
            img[n + i] = l;
            img[2 * n + i] = l;
        }
    }
}

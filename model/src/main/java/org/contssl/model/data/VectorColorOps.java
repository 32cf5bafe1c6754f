package org.contssl.model.data;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ColorOps} on jdk.incubator.vector lanes, bit-identical to the scalar definitions: every lane performs the
 * scalar code's float operations on the same operands in the same order (Java never fuses a multiply and an add, and
 * the vector min/max/compare follow {@code Math.min}/{@code Math.max} and {@code <}). Branches become lane selects;
 * the clamp keeps its exact form ({@code v < 0 ? 0 : min(v, 255)}). Pixels past the last full vector go through the
 * scalar per-pixel code. Only loaded when the incubator module is present ({@link ColorOps#VECTORIZED}).
 *
 * <p>Contrast's mean is defined as a double sum in pixel order, a serial chain of additions. It runs on lanes only
 * when no addition can round in any order ({@link #exactGreySum}); then every order gives the exact sum, the same as
 * the serial one. Otherwise the serial sum runs.
 */
final class VectorColorOps {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Double lanes of the same vector size: a float vector converts into two of them. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private VectorColorOps() {
    }

    private static FloatVector clamp(FloatVector v) {
        return v.min(255f).blend(0f, v.lt(0f));
    }

    private static FloatVector luma(FloatVector r, FloatVector g, FloatVector b) {
        return r.mul(ColorOps.LR).add(g.mul(ColorOps.LG)).add(b.mul(ColorOps.LB));
    }

    static void brightness(float[] img, int planes, int n, float f) {
        int len = planes * n;
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            clamp(FloatVector.fromArray(S, img, i).mul(f)).intoArray(img, i);
        }
        for (; i < len; i++) {
            img[i] = ColorOps.clamp(img[i] * f);
        }
    }

    static void contrast(float[] img, int planes, int n, float f) {
        double sum = exactGreySum(img, planes, n);
        float add = Double.isNaN(sum) ? ColorOps.contrastOffset(img, planes, n, f) : (float) ((1 - f) * (sum / n));
        int len = planes * n;
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            clamp(FloatVector.fromArray(S, img, i).mul(f).add(add)).intoArray(img, i);
        }
        for (; i < len; i++) {
            img[i] = ColorOps.clamp(f * img[i] + add);
        }
    }

    /**
     * The sum of the grey levels ({@code planes == 1}: the values; else {@link ColorOps#luma}) as a double, or NaN
     * when it cannot be shown exact. Every non-zero float is an integer multiple of {@code u}, the ulp of the
     * smallest magnitude among them, and so is every partial sum; while {@code n · max|value| ≤ 2^53 · u} each
     * partial sum is exactly representable in a double, so no addition rounds, whatever their order. Photos pass by
     * far (grey levels ≥ 1/64 or 0, sums < 2^24); a plane with tiny non-zero values takes the serial sum.
     */
    static double exactGreySum(float[] img, int planes, int n) {
        FloatVector minNz = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
        FloatVector maxAbs = FloatVector.zero(S);
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector l = planes == 1 ? FloatVector.fromArray(S, img, i)
                    : luma(FloatVector.fromArray(S, img, i), FloatVector.fromArray(S, img, n + i),
                    FloatVector.fromArray(S, img, 2 * n + i));
            FloatVector a = l.abs();
            minNz = minNz.min(a.blend(Float.POSITIVE_INFINITY, a.eq(0f)));
            maxAbs = maxAbs.max(a);
            acc0 = acc0.add((DoubleVector) l.convert(VectorOperators.F2D, 0));
            acc1 = acc1.add((DoubleVector) l.convert(VectorOperators.F2D, 1));
        }
        double sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        float lo = minNz.reduceLanes(VectorOperators.MIN);
        float hi = maxAbs.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            float l = planes == 1 ? img[i] : ColorOps.luma(img[i], img[n + i], img[2 * n + i]);
            float a = Math.abs(l);
            if (a != 0f) {
                lo = Math.min(lo, a);
            }
            hi = Math.max(hi, a);
            sum += l;
        }
        if (hi == 0f) {
            return 0.0;
        }
        if (!(hi < Float.POSITIVE_INFINITY) || (double) n * hi > 0x1p53 * Math.ulp(lo)) {
            return Double.NaN;
        }
        return sum;
    }

    static void saturation(float[] img, int n, float f) {
        float g1 = 1 - f;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector r = FloatVector.fromArray(S, img, i);
            FloatVector g = FloatVector.fromArray(S, img, n + i);
            FloatVector b = FloatVector.fromArray(S, img, 2 * n + i);
            FloatVector l = luma(r, g, b).mul(g1);
            clamp(r.mul(f).add(l)).intoArray(img, i);
            clamp(g.mul(f).add(l)).intoArray(img, n + i);
            clamp(b.mul(f).add(l)).intoArray(img, 2 * n + i);
        }
        ColorOps.saturationScalar(img, n, f, i);
    }

    static void hue(float[] img, int n, float shift) {
        float shift6 = shift * 6f;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector r = FloatVector.fromArray(S, img, i);
            FloatVector g = FloatVector.fromArray(S, img, n + i);
            FloatVector b = FloatVector.fromArray(S, img, 2 * n + i);
            FloatVector maxc = r.max(g.max(b));
            FloatVector minc = r.min(g.min(b));
            FloatVector cr = maxc.sub(minc);
            VectorMask<Float> grey = cr.eq(0f);
            if (grey.allTrue()) {
                continue;
            }
            // Grey lanes divide by zero here; their results are discarded below, as the scalar code skips them.
            FloatVector inv = FloatVector.broadcast(S, 1f).div(cr);
            FloatVector hr = g.sub(b).mul(inv);
            FloatVector hg = b.sub(r).mul(inv).add(2f);
            FloatVector hb = r.sub(g).mul(inv).add(4f);
            FloatVector h6 = hb.blend(hg, maxc.eq(g)).blend(hr, maxc.eq(r)).add(shift6);
            h6 = h6.blend(h6.add(6f), h6.lt(0f)).blend(h6.sub(6f), h6.compare(VectorOperators.GE, 6f));
            // (float) min((int) h6, 5) for h6 in [0, 6]: the number of thresholds 1..5 it reaches (comparisons
            // instead of an int round trip, which C2 left boxed here)
            FloatVector sector = FloatVector.zero(S);
            for (int k = 1; k <= 5; k++) {
                sector = sector.add(1f, h6.compare(VectorOperators.GE, k));
            }
            FloatVector fr = h6.sub(sector);
            FloatVector v = maxc;
            FloatVector p = minc;
            FloatVector q = v.sub(cr.mul(fr));
            FloatVector t = v.sub(cr.mul(FloatVector.broadcast(S, 1f).sub(fr)));
            VectorMask<Float> s0 = sector.eq(0f);
            VectorMask<Float> s1 = sector.eq(1f);
            VectorMask<Float> s2 = sector.eq(2f);
            VectorMask<Float> s3 = sector.eq(3f);
            VectorMask<Float> s4 = sector.eq(4f);
            // sector → (r, g, b): 0 (v,t,p) 1 (q,v,p) 2 (p,v,t) 3 (p,q,v) 4 (t,p,v) 5 (v,p,q)
            FloatVector nr = v.blend(q, s1).blend(p, s2.or(s3)).blend(t, s4);
            FloatVector ng = p.blend(t, s0).blend(v, s1.or(s2)).blend(q, s3);
            FloatVector nb = q.blend(p, s0.or(s1)).blend(t, s2).blend(v, s3.or(s4));
            clamp(nr).blend(r, grey).intoArray(img, i);
            clamp(ng).blend(g, grey).intoArray(img, n + i);
            clamp(nb).blend(b, grey).intoArray(img, 2 * n + i);
        }
        ColorOps.hueScalar(img, n, shift, i);
    }

    static void grayscale(float[] img, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector l = luma(FloatVector.fromArray(S, img, i), FloatVector.fromArray(S, img, n + i),
                    FloatVector.fromArray(S, img, 2 * n + i));
            l.intoArray(img, i);
            l.intoArray(img, n + i);
            l.intoArray(img, 2 * n + i);
        }
        ColorOps.grayscaleScalar(img, n, i);
    }
}

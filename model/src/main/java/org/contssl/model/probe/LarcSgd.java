package org.contssl.model.probe;

/**
 * SGD with momentum wrapped in LARC ({@code clip=False}), applied per parameter tensor exactly as
 * docs/reference-system.md §9.1 describes apex's LARC: if ||w|| != 0 and ||g|| != 0 then
 * {@code g <- (g + wd*w) * trust*||w|| / (||g|| + wd*||w|| + eps)};
 * then PyTorch's momentum rule {@code v <- mu*v + g; w <- w - lr*v} (the first step sets v = g).
 * A zero-initialised bias therefore takes one un-rescaled step before LARC starts scaling it.
 */
public final class LarcSgd {
    private final double momentum;
    private final double trust;
    private final double weightDecay;
    private final double eps;

    public LarcSgd(double momentum, double trust, double weightDecay, double eps) {
        this.momentum = momentum;
        this.trust = trust;
        this.weightDecay = weightDecay;
        this.eps = eps;
    }

    public static LarcSgd of(ProbeSettings s) {
        return new LarcSgd(s.momentum(), s.trustCoefficient(), s.weightDecay(), ProbeSettings.LARC_EPS);
    }

    /**
     * The factor LARC multiplies the gradient with for one tensor, or 1 when either norm is zero (then LARC leaves the
     * gradient untouched, weight decay included, matching apex which only adds wd inside the rescaling branch).
     */
    public double adaptiveScale(float[] w, float[] g) {
        double wn = norm(w);
        double gn = norm(g);
        if (wn == 0 || gn == 0) {
            return 1.0;
        }
        return trust * wn / (gn + weightDecay * wn + eps);
    }

    /**
     * One update of tensor {@code w} in place.
     *
     * @param w        parameters, updated in place
     * @param g        gradient (not modified)
     * @param velocity momentum buffer, same length; updated in place
     * @param first    true on the very first step (PyTorch initialises the buffer with the gradient)
     * @param lr       learning rate of this step
     */
    public void step(float[] w, float[] g, float[] velocity, boolean first, double lr) {
        double wn = norm(w);
        double gn = norm(g);
        boolean rescale = wn != 0 && gn != 0;
        double scale = rescale ? trust * wn / (gn + weightDecay * wn + eps) : 1.0;
        double wd = rescale ? weightDecay : 0.0;
        for (int i = 0; i < w.length; i++) {
            double gi = (g[i] + wd * w[i]) * scale;
            double v = first ? gi : momentum * velocity[i] + gi;
            velocity[i] = (float) v;
            w[i] = (float) (w[i] - lr * v);
        }
    }

    static double norm(float[] x) {
        double ss = 0;
        for (float v : x) {
            ss += (double) v * v;
        }
        return Math.sqrt(ss);
    }
}

package org.contssl.reports.charts;

import java.util.ArrayList;
import java.util.List;

/** Helpers to thin long time series before plotting: a 100k-step run must not make a 100k-point PNG. */
final class Series {
    private Series() {}

    /** x/y pairs with NaN y removed, averaged into at most {@code maxPoints} buckets of consecutive points. */
    static double[][] bucketMean(double[] x, double[] y, int maxPoints) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i]) && Double.isFinite(x[i])) pts.add(new double[] {x[i], y[i]});
        }
        int n = pts.size();
        if (n <= maxPoints) {
            double[][] out = new double[2][n];
            for (int i = 0; i < n; i++) {
                out[0][i] = pts.get(i)[0];
                out[1][i] = pts.get(i)[1];
            }
            return out;
        }
        double per = (double) n / maxPoints;
        double[][] out = new double[2][maxPoints];
        for (int b = 0; b < maxPoints; b++) {
            int lo = (int) Math.floor(b * per), hi = (int) Math.min(n, Math.floor((b + 1) * per));
            double sx = 0, sy = 0;
            for (int i = lo; i < hi; i++) {
                sx += pts.get(i)[0];
                sy += pts.get(i)[1];
            }
            out[0][b] = sx / (hi - lo);
            out[1][b] = sy / (hi - lo);
        }
        return out;
    }

    static boolean anyFinite(double[] y) {
        for (double v : y) if (Double.isFinite(v)) return true;
        return false;
    }
}

package org.contssl.reports.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.contssl.reports.results.CollapseMonitor;
import org.contssl.reports.results.DomainMatrix;
import org.contssl.reports.results.EncoderKind;
import org.contssl.reports.results.ProbeMethod;
import org.contssl.reports.results.ProbeRecord;
import org.contssl.reports.results.RunResults;
import org.contssl.reports.series.BufferComposition;
import org.contssl.reports.series.MetricsRow;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the report's PNG charts with XChart (headless, no display needed). */
public final class ChartRenderer {
    static final int WIDTH = 880;
    static final int HEIGHT = 420;
    static final int MAX_POINTS = 1500;

    /** Tableau-10: distinguishable, colour-blind-friendlier than the defaults, enough for 10 classes. */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
            new Color(0x17becf)};
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f);
    private static final BasicStroke DOTTED = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 4f}, 0f);
    private static final BasicStroke SOLID = new BasicStroke(2f);

    public ChartRenderer() {
        // Charts are drawn off-screen; never try to open a display (CI and servers have none).
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Accuracy of the trained checkpoints vs stream progress on one dataset, with both floors as horizontal lines. */
    public ChartImage accuracyVsProgress(RunResults r, String dataset) {
        XYChart c = xy("Top-1 vs stream progress — " + dataset + " (" + r.roleOf(dataset).key() + ")", "stream progress (fraction of the stream seen)", "top-1 (%)");
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        int colour = 0;
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (ProbeMethod m : ProbeMethod.values()) {
            List<ProbeRecord> curve = r.trainedCurve(dataset, m);
            if (curve.isEmpty()) continue;
            double[] x = curve.stream().mapToDouble(ProbeRecord::progress).toArray();
            double[] y = curve.stream().mapToDouble(ProbeRecord::top1).toArray();
            for (double v : y) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            XYSeries s = c.addSeries("trained · " + m.key(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(PALETTE[colour]);
            s.setLineColor(PALETTE[colour]);
            s.setLineStyle(SOLID);
            Color base = PALETTE[colour];
            for (EncoderKind floor : new EncoderKind[] {EncoderKind.RAW_PIXELS, EncoderKind.RANDOM_INIT}) {
                var f = r.floor(floor, dataset, m);
                if (f.isEmpty()) continue;
                double v = f.get().top1();
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                XYSeries fs = c.addSeries(floor.key() + " · " + m.key() + String.format(Locale.ROOT, " (%.1f)", v), new double[] {0, 1}, new double[] {v, v});
                fs.setMarker(SeriesMarkers.NONE).setLineColor(floor == EncoderKind.RAW_PIXELS ? base.darker() : base.brighter())
                  .setLineStyle(floor == EncoderKind.RAW_PIXELS ? DASHED : DOTTED);
            }
            colour++;
        }
        if (colour == 0) {
            return null;
        }
        double pad = Math.max(1.0, (hi - lo) * 0.15);
        c.getStyler().setYAxisMin(Math.max(0, Math.floor(lo - pad))).setYAxisMax(Math.min(100, Math.ceil(hi + pad)));
        return png("accuracy_" + slug(dataset) + ".png", "Accuracy vs stream progress: " + dataset,
                "Top-1 of the trained checkpoints (solid, markers) against stream progress; dashed = raw-pixel floor, "
              + "dotted = random-init encoder floor, same probe. A gain exists only where the solid line clears both floors.", c);
    }

    public ChartImage loss(List<MetricsRow> rows) {
        double[] x = rows.stream().mapToDouble(MetricsRow::step).toArray();
        double[] y = rows.stream().mapToDouble(MetricsRow::loss).toArray();
        if (!Series.anyFinite(y)) return null;
        XYChart c = xy("SimSiam loss", "step", "loss (negative cosine, −1 = perfect)");
        line(c, "loss", Series.bucketMean(x, y, MAX_POINTS), PALETTE[0]);
        c.getStyler().setLegendVisible(false);
        return png("loss.png", "SSL loss", "SimSiam loss per step (means over buckets of consecutive steps when the run is long). "
                + "It starts near 0 and falls towards −1; a quick drop to −1 with a collapsing z-std below means collapse, not learning.", c);
    }

    public ChartImage learningRate(List<MetricsRow> rows) {
        double[] x = rows.stream().mapToDouble(MetricsRow::step).toArray();
        double[] y = rows.stream().mapToDouble(MetricsRow::lr).toArray();
        if (!Series.anyFinite(y)) return null;
        XYChart c = xy("Learning rate", "step", "lr");
        line(c, "lr", Series.bucketMean(x, y, MAX_POINTS), PALETTE[1]);
        c.getStyler().setLegendVisible(false);
        return png("lr.png", "Learning rate", "Learning rate of the encoder/projector per step.", c);
    }

    public ChartImage collapse(List<MetricsRow> rows, CollapseMonitor monitor) {
        double[] x = rows.stream().mapToDouble(MetricsRow::step).toArray();
        double[] y = rows.stream().mapToDouble(MetricsRow::zStd).toArray();
        if (!Series.anyFinite(y)) return null;
        XYChart c = xy("Collapse monitor: std of normalised projector output", "step", "per-dimension std");
        double[][] pts = Series.bucketMean(x, y, MAX_POINTS);
        line(c, "z std", pts, PALETTE[2]);
        if (monitor != null) {
            double x0 = pts[0].length == 0 ? 0 : pts[0][0], x1 = pts[0].length == 0 ? 1 : pts[0][pts[0].length - 1];
            XYSeries t = c.addSeries(String.format(Locale.ROOT, "collapse threshold 0.5/√%d = %.4f", monitor.dim(), monitor.threshold()),
                    new double[] {x0, x1}, new double[] {monitor.threshold(), monitor.threshold()});
            t.setMarker(SeriesMarkers.NONE).setLineColor(PALETTE[3]).setLineStyle(DASHED);
            XYSeries ideal = c.addSeries(String.format(Locale.ROOT, "uniform on the sphere 1/√%d = %.4f", monitor.dim(), 1 / Math.sqrt(monitor.dim())),
                    new double[] {x0, x1}, new double[] {1 / Math.sqrt(monitor.dim()), 1 / Math.sqrt(monitor.dim())});
            ideal.setMarker(SeriesMarkers.NONE).setLineColor(PALETTE[7]).setLineStyle(DOTTED);
            c.getStyler().setYAxisMin(0.0);
        }
        return png("collapse.png", "Collapse monitor", "Per-dimension std of the L2-normalised projector output. "
                + "Below the dashed threshold 0.5/√dim the representation is collapsing; ~1/√dim (dotted) is fully spread.", c);
    }

    public ChartImage throughput(List<MetricsRow> rows) {
        double[] x = rows.stream().mapToDouble(MetricsRow::step).toArray();
        double[] y = rows.stream().mapToDouble(MetricsRow::imgPerS).toArray();
        if (!Series.anyFinite(y)) return null;
        XYChart c = xy("Training throughput", "step", "image-steps / s");
        line(c, "img/s", Series.bucketMean(x, y, MAX_POINTS), PALETTE[4]);
        double[] wait = new double[rows.size()];
        for (int i = 0; i < wait.length; i++) {
            MetricsRow m = rows.get(i);
            double tot = m.dataWaitS() + m.computeS();
            wait[i] = tot > 0 ? 100 * m.dataWaitS() / tot : Double.NaN;
        }
        if (Series.anyFinite(wait)) {
            XYSeries s = line(c, "data wait (% of step time)", Series.bucketMean(x, wait, MAX_POINTS), PALETTE[7]);
            s.setYAxisGroup(1);
            c.setYAxisGroupTitle(1, "data wait (%)");
            c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        }
        return png("throughput.png", "Throughput", "Image-steps per second and the share of step time spent waiting for data "
                + "(high data wait = input-bound).", c);
    }

    public ChartImage bufferStats(List<MetricsRow> rows) {
        double[] x = rows.stream().mapToDouble(MetricsRow::step).toArray();
        double[] seen = rows.stream().mapToDouble(MetricsRow::bufferMeanNumSeen).toArray();
        double[] sim = rows.stream().mapToDouble(MetricsRow::bufferMeanNeighborSim).toArray();
        if (!Series.anyFinite(seen) && !Series.anyFinite(sim)) return null;
        XYChart c = xy("Replay buffer statistics", "step", "mean times trained");
        if (Series.anyFinite(seen)) line(c, "mean #seen", Series.bucketMean(x, seen, MAX_POINTS), PALETTE[0]);
        if (Series.anyFinite(sim)) {
            XYSeries s = line(c, "mean nearest-neighbour cosine", Series.bucketMean(x, sim, MAX_POINTS), PALETTE[3]);
            s.setYAxisGroup(1);
            c.setYAxisGroupTitle(1, "cosine");
            c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        }
        return png("buffer_stats.png", "Replay buffer statistics", "Mean number of times the buffer's entries were trained on, "
                + "and the mean nearest-neighbour cosine inside the buffer (redundancy; MinRed keeps it low).", c);
    }

    /** Stacked areas: buffer entries per class/domain over time. */
    public ChartImage bufferComposition(BufferComposition comp, String by) {
        if (comp.steps().length == 0 || comp.groups().isEmpty()) return null;
        String what = by == null || by.isBlank() ? "group" : by;
        XYChart c = xy("Buffer composition by " + what, "step", "buffer entries");
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        int g = comp.groups().size(), n = comp.steps().length;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = comp.steps()[i];
        double[][] cum = new double[g][n];
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int k = 0; k < g; k++) {
                acc += comp.counts()[i][k];
                cum[k][i] = acc;
            }
        }
        // draw the tallest cumulative band first so each smaller band paints over it: a stacked area chart
        for (int k = g - 1; k >= 0; k--) {
            double[][] pts = Series.bucketMean(x, cum[k], MAX_POINTS);
            String g0 = comp.groups().get(k);
            XYSeries s = c.addSeries(g0.toLowerCase(Locale.ROOT).startsWith(what.toLowerCase(Locale.ROOT)) ? g0 : what + " " + g0, pts[0], pts[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            Color col = PALETTE[k % PALETTE.length];
            s.setMarker(SeriesMarkers.NONE).setLineColor(col).setFillColor(col);
        }
        c.getStyler().setYAxisMin(0.0);
        return png("buffer_composition.png", "Buffer composition", "Entries of the replay buffer per " + what
                + " over time, stacked (band height = that " + what + "'s count). A FIFO buffer follows the stream; "
                + "a redundancy-aware buffer keeps what arrived earlier for longer.", c);
    }

    /** Heat map of A[after i][on j]. */
    public ChartImage forgettingHeatmap(DomainMatrix m) {
        int n = m.size();
        HeatMapChart c = new HeatMapChartBuilder().width(Math.max(520, 130 * n + 260)).height(Math.max(360, 80 * n + 160))
                .title("Accuracy matrix A[after domain i][on domain j] (top-1 %)").build();
        c.getStyler().setShowValue(true).setHeatMapValueDecimalPattern("0.0");
        c.getStyler().setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0x9ecae1), new Color(0x3182bd)});
        c.getStyler().setValueFontColor(Color.BLACK);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setBaseFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        c.getStyler().setMin(0).setMax(100);
        List<String> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int j = 0; j < n; j++) xs.add("on " + m.label(j));
        for (int i = 0; i < n; i++) ys.add("after " + m.label(i));
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cells.add(new Number[] {j, i, m.at(i, j)});
            }
        }
        c.addSeries("A", xs, ys, cells);
        c.setXAxisTitle("evaluated on (stream position)");
        c.setYAxisTitle("checkpoint after (stream position)");
        return png("forgetting_heatmap.png", "Accuracy matrix and forgetting", "A[i][j]: probe top-1 on domain j's held-out set "
                + "with the checkpoint at the end of domain i (positions in stream order). Reading down a column shows how a "
                + "domain is remembered; below the diagonal is forgetting.", c);
    }

    private static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setAntiAlias(true);
        c.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        c.getStyler().setDecimalPattern("#,##0.####");
        return c;
    }

    private static XYSeries line(XYChart c, String name, double[][] pts, Color col) {
        XYSeries s = c.addSeries(name, pts[0].length == 0 ? new double[] {0} : pts[0], pts[1].length == 0 ? new double[] {Double.NaN} : pts[1]);
        s.setMarker(SeriesMarkers.NONE).setLineColor(col).setLineStyle(SOLID);
        return s;
    }

    private static ChartImage png(String file, String title, String caption, Chart<?, ?> chart) {
        try {
            return new ChartImage(file, title, caption, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("chart " + file + ": cannot encode PNG: " + e.getMessage(), e);
        }
    }

    /** File-name-safe version of a dataset name. */
    public static String slug(String s) {
        String t = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return t.isEmpty() ? "dataset" : t;
    }
}

package org.contssl.steps.pretrain;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a human watching pretraining sees: a progress bar on a terminal (steps, img/s, loss, LR, buffer stats,
 * ETA), or a log line every {@code logging.print_freq} steps (and at least every 30 s) when output is piped.
 */
abstract class Progress implements AutoCloseable {

    static Progress create(long total, long done, int printFreq) {
        return System.console() != null ? new Bar(total, done) : new Lines(total, done, printFreq);
    }

    abstract void update(long step, String status);

    /** A phase that trains nothing yet (buffer filling) still shows it is alive. */
    abstract void note(String status);

    @Override
    public abstract void close();

    private static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(long total, long done) {
            bar = new ProgressBarBuilder().setTaskName("pretrain").setInitialMax(total).startsFrom(done, Duration.ZERO)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(500).setUnit(" steps", 1)
                    .showSpeed().build();
        }

        @Override
        void update(long step, String status) {
            bar.stepTo(step);
            bar.setExtraMessage(status);
        }

        @Override
        void note(String status) {
            bar.setExtraMessage(status);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    private static final class Lines extends Progress {
        private static final Logger log = LoggerFactory.getLogger("org.contssl.pretrain");
        private final long total;
        private final long startStep;
        private final int printFreq;
        private final long startNanos = System.nanoTime();
        private long lastNanos;
        private String lastNote;

        Lines(long total, long done, int printFreq) {
            this.total = total;
            this.startStep = done;
            this.printFreq = printFreq;
        }

        @Override
        void update(long step, String status) {
            long now = System.nanoTime();
            if (step % printFreq != 0 && step != total && now - lastNanos < 30_000_000_000L) {
                return;
            }
            lastNanos = now;
            double elapsed = (now - startNanos) / 1e9;
            double rate = (step - startStep) / Math.max(elapsed, 1e-9);
            long etaSeconds = rate > 0 ? (long) ((total - step) / rate) : -1;
            log.info(String.format("step %d/%d (%.1f%%) %s ETA %s", step, total, 100.0 * step / total, status,
                    etaSeconds < 0 ? "?" : Duration.ofSeconds(etaSeconds).toString().substring(2).toLowerCase()));
        }

        @Override
        void note(String status) {
            long now = System.nanoTime();
            if (!status.equals(lastNote) && now - lastNanos > 10_000_000_000L) {
                lastNanos = now;
                lastNote = status;
                log.info(status);
            }
        }

        @Override
        public void close() {
        }
    }
}

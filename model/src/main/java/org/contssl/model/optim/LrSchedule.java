package org.contssl.model.optim;

import java.util.Locale;

/**
 * The reference's learning-rate schedules ({@code optim.lr_schedule.*}), evaluated per iteration for the encoder and
 * projector (the predictor keeps the base LR when {@code fix_pred_lr}). See docs/reference-system.md, "LR schedule".
 *
 * <p>Progress is the 1-based step {@code t} being taken out of {@code T} total steps; the reference's fractional
 * epoch ε = epoch + j/len(loader) out of E epochs is the same quantity scaled by E (ε/E = t/T, ε·len = t).
 *
 * <ul>
 *   <li>{@code constant}: lr0.</li>
 *   <li>{@code cos}: lr0 · ½ · (1 + cos(π · t / T)); no warm-up, exactly 0 at the last step.</li>
 *   <li>{@code triangle}: with period P and u = t mod P, lr0 + u/(P/2) · (max_lr − lr0) while u &lt; P/2, else
 *       lr0 + (P − u)/(P/2) · (max_lr − lr0): a linear ramp lr0 → max_lr → lr0 every P steps.</li>
 *   <li>{@code exit_decay} d &gt; 0 (any type): once t/T &gt; 1 − d the LR is further multiplied by
 *       ½ · (1 + cos(π · (t/T − (1 − d)) / d)), a cosine to 0 over the last fraction d of training. The reference
 *       computes this in epochs (start = E·(1 − d)); with E = 1, as in every buffered run, the arithmetic is the
 *       same operation for operation.</li>
 * </ul>
 *
 * <p>{@link #COS} and {@link #CONSTANT} keep their plain names in {@link #key()}, so checkpoints written before
 * triangle and exit_decay existed read back unchanged; other schedules encode their parameters in the key.
 */
public final class LrSchedule {

    /** The schedule kinds of the reference's {@code optim.lr_schedule.type}. */
    public enum Type {
        COS, CONSTANT, TRIANGLE;

        /** The reference's name. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The reference's defaults for the triangle parameters (optim/default.yaml). */
    public static final int DEFAULT_PERIOD = 3000;
    public static final double DEFAULT_MAX_LR = 0.003;

    /** Per-iteration cosine to 0, no exit decay (the reference default). */
    public static final LrSchedule COS = new LrSchedule(Type.COS, DEFAULT_PERIOD, DEFAULT_MAX_LR, 0.0);
    /** lr0 every step, no exit decay. */
    public static final LrSchedule CONSTANT = new LrSchedule(Type.CONSTANT, DEFAULT_PERIOD, DEFAULT_MAX_LR, 0.0);

    private final Type type;
    private final int period;
    private final double maxLr;
    private final double exitDecay;

    private LrSchedule(Type type, int period, double maxLr, double exitDecay) {
        this.type = type;
        this.period = period;
        this.maxLr = maxLr;
        this.exitDecay = exitDecay;
    }

    /**
     * A schedule from the reference's four keys. {@code period} and {@code maxLr} matter only for triangle
     * (the others keep the reference defaults so equal schedules compare equal).
     */
    public static LrSchedule of(Type type, int period, double maxLr, double exitDecay) {
        if (type == null) {
            throw new IllegalArgumentException("optim.lr_schedule.type must be set (cos, constant or triangle)");
        }
        if (!(exitDecay >= 0 && exitDecay <= 1)) {
            throw new IllegalArgumentException("optim.lr_schedule.exit_decay=" + exitDecay
                    + " must be a fraction in [0, 1] (0 = off)");
        }
        if (type != Type.TRIANGLE) {
            if (exitDecay == 0.0) {
                return type == Type.COS ? COS : CONSTANT;
            }
            return new LrSchedule(type, DEFAULT_PERIOD, DEFAULT_MAX_LR, exitDecay);
        }
        if (period < 1) {
            throw new IllegalArgumentException("optim.lr_schedule.period=" + period + " must be >= 1 step");
        }
        if (!(maxLr >= 0) || Double.isInfinite(maxLr)) {
            throw new IllegalArgumentException("optim.lr_schedule.max_lr=" + maxLr + " must be a finite number >= 0");
        }
        return new LrSchedule(type, period, maxLr, exitDecay);
    }

    /** A triangle schedule without exit decay. */
    public static LrSchedule triangle(int period, double maxLr) {
        return of(Type.TRIANGLE, period, maxLr, 0.0);
    }

    public Type type() {
        return type;
    }

    public int period() {
        return period;
    }

    public double maxLr() {
        return maxLr;
    }

    public double exitDecay() {
        return exitDecay;
    }

    /** The encoder LR for 1-based step {@code step} of {@code totalSteps}. */
    public double lr(double lr0, long step, long totalSteps) {
        double lr = switch (type) {
            case CONSTANT -> lr0;
            case COS -> step >= totalSteps ? 0.0 : lr0 * 0.5 * (1.0 + Math.cos(Math.PI * step / totalSteps));
            case TRIANGLE -> {
                double half = period / 2.0;
                double u = step % period;
                yield u < half ? lr0 + u / half * (maxLr - lr0) : lr0 + (period - u) / half * (maxLr - lr0);
            }
        };
        if (exitDecay > 0) {
            double start = 1.0 - exitDecay;
            double progress = (double) step / totalSteps;
            if (progress > start) {
                lr = lr * (0.5 * (1.0 + Math.cos(Math.PI * (progress - start) / (1.0 - start))));
            }
        }
        return lr;
    }

    /** True when the LR reaches 0 at the last step, so a step past the total is certainly a mistake. */
    public boolean endsAtZero() {
        return type == Type.COS || exitDecay > 0;
    }

    /**
     * Parses {@link #key()}: the reference's plain names ({@code cos}, {@code constant}, {@code triangle} with the
     * default period and max_lr) or the encoded form {@code type;period=P;max_lr=M;exit_decay=D}.
     */
    public static LrSchedule parse(String key) {
        String[] parts = key.split(";");
        Type type = switch (parts[0]) {
            case "cos" -> Type.COS;
            case "constant" -> Type.CONSTANT;
            case "triangle" -> Type.TRIANGLE;
            default -> throw new IllegalArgumentException(
                    "optim.lr_schedule=" + parts[0] + " is not supported: use cos, constant or triangle");
        };
        int period = DEFAULT_PERIOD;
        double maxLr = DEFAULT_MAX_LR;
        double exitDecay = 0.0;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String name = eq < 0 ? parts[i] : parts[i].substring(0, eq);
            String value = eq < 0 ? "" : parts[i].substring(eq + 1);
            try {
                switch (name) {
                    case "period" -> period = Integer.parseInt(value);
                    case "max_lr" -> maxLr = Double.parseDouble(value);
                    case "exit_decay" -> exitDecay = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("unknown LR schedule parameter '" + name + "' in '"
                            + key + "': use period, max_lr or exit_decay");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("LR schedule parameter " + name + "=" + value + " in '" + key
                        + "' is not a number");
            }
        }
        return of(type, period, maxLr, exitDecay);
    }

    /** The reference's name for the two classic schedules; other schedules carry their parameters. */
    public String key() {
        if (this == COS || this == CONSTANT) {
            return type.key();
        }
        // Double.toString round-trips exactly, so a checkpoint restores the very same schedule
        StringBuilder b = new StringBuilder(type.key());
        if (type == Type.TRIANGLE) {
            b.append(";period=").append(period).append(";max_lr=").append(maxLr);
        }
        return b.append(";exit_decay=").append(exitDecay).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LrSchedule s && s.type == type && s.period == period
                && Double.compare(s.maxLr, maxLr) == 0 && Double.compare(s.exitDecay, exitDecay) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, period, maxLr, exitDecay);
    }

    @Override
    public String toString() {
        return key();
    }
}

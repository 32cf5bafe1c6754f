package org.contssl.model.optim;

/** The reference's learning-rate schedules (utils.py), evaluated per iteration. */
public enum LrSchedule {
    /** lr0 · ½ · (1 + cos(π · t / T)), t = 1-based step being taken: no warm-up, exactly 0 at the last step. */
    COS,
    /** lr0 every step. */
    CONSTANT;

    /** The encoder LR for 1-based step {@code step} of {@code totalSteps}. */
    public double lr(double lr0, long step, long totalSteps) {
        return switch (this) {
            case CONSTANT -> lr0;
            case COS -> {
                if (step >= totalSteps) {
                    yield 0.0;
                }
                yield lr0 * 0.5 * (1.0 + Math.cos(Math.PI * step / totalSteps));
            }
        };
    }

    /** Parses the reference's names ({@code cos}, {@code constant}). */
    public static LrSchedule parse(String name) {
        return switch (name) {
            case "cos" -> COS;
            case "constant" -> CONSTANT;
            default -> throw new IllegalArgumentException(
                    "optim.lr_schedule=" + name + " is not supported: use cos or constant");
        };
    }

    /** The reference's name. */
    public String key() {
        return this == COS ? "cos" : "constant";
    }
}

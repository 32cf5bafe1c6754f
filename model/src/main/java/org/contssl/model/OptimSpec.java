package org.contssl.model;

import org.contssl.model.optim.LrSchedule;

/**
 * SGD settings ({@code optim.*}): base LR, momentum, weight decay, schedule over {@code totalSteps} iterations, and
 * whether the predictor keeps the base LR (fix_pred_lr, reference default true).
 */
public record OptimSpec(
        double lr, double momentum, double weightDecay, LrSchedule schedule, long totalSteps, boolean fixPredLr) {

    public OptimSpec {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("optim.lr must be a finite number >= 0, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("optim.momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("optim.weight_decay must be >= 0, got " + weightDecay);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("optim.lr_schedule must be set (cos or constant)");
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("total training steps must be >= 1, got " + totalSteps);
        }
    }

    /** The reference's defaults: momentum 0.9, weight decay 1e-4, predictor at fixed LR. */
    public static OptimSpec reference(double lr, LrSchedule schedule, long totalSteps) {
        return new OptimSpec(lr, 0.9, 1e-4, schedule, totalSteps, true);
    }

    /** Encoder LR of 1-based step {@code step}. */
    public double encoderLr(long step) {
        return schedule.lr(lr, step, totalSteps);
    }

    /** Predictor LR of 1-based step {@code step}. */
    public double predictorLr(long step) {
        return fixPredLr ? lr : encoderLr(step);
    }
}

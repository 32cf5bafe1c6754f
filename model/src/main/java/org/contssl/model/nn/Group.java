package org.contssl.model.nn;

/** SGD parameter groups: the reference schedules the encoder's LR and keeps the predictor's fixed (fix_pred_lr). */
public enum Group {
    ENCODER,
    PREDICTOR
}

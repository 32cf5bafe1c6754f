package org.contssl.model.nn;

/** What a named model tensor is, which decides whether the optimizer touches it. */
public enum Kind {
    /** Trained by SGD (conv/Linear weights, BN affine parameters, biases). */
    TRAINABLE,
    /** Part of the saved state but never updated (the projector's final bias, frozen as in the reference). */
    FROZEN,
    /** Batch-norm running statistics: updated by the forward pass in train mode, used in eval mode. */
    BUFFER
}

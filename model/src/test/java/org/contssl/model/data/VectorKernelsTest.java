package org.contssl.model.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The vector-kernel rule: on the test JVM (module on the path) every kernel family passes its self-check. */
class VectorKernelsTest {

    @Test
    void everyKernelFamilyRunsOnLanesWhenItsSelfCheckPasses() {
        assertThat(ColorOps.VECTORIZED).isTrue();
        assertThat(GaussianBlur.VECTORIZED).isTrue();
        assertThat(Resampler.VECTORIZED).isTrue();
        assertThat(Workspace.VECTORIZED).isTrue();
    }

    @Test
    void aFailedSelfCheckASwitchOrAThrowableSelectsTheScalarKernel() {
        assertThat(VectorKernels.enabled("contssl.test.neverSet", () -> true)).isTrue();
        assertThat(VectorKernels.enabled("contssl.test.neverSet", () -> false)).isFalse();
        assertThat(VectorKernels.enabled("contssl.test.neverSet", () -> {
            throw new UnsupportedOperationException("no lanes here");
        })).isFalse();
        System.setProperty("contssl.test.scalar", "true");
        try {
            assertThat(VectorKernels.enabled("contssl.test.scalar", () -> true)).isFalse();
        } finally {
            System.clearProperty("contssl.test.scalar");
        }
        float[] a = VectorKernels.plane(5, 1, 10, 0);
        float[] b = a.clone();
        assertThat(VectorKernels.sameBits(a, b, 5)).isTrue();
        b[4] = Math.nextUp(b[4]);
        assertThat(VectorKernels.sameBits(a, b, 5)).isFalse();
        assertThat(VectorKernels.sameBits(a, b, 4)).isTrue();
    }
}

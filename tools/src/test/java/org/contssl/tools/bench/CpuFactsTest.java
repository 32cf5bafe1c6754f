package org.contssl.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuFactsTest {

    @Test
    void keepsTheModelAndOnlyTheVectorFlagsOfTheFirstProcessor() {
        String cpuinfo = """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC 9R14
                flags\t\t: fpu vme sse4_1 sse4_2 avx avx2 fma avx512f avx512bw amx_tile ht
                
                processor\t: 1
                model name\t: something else
                flags\t\t: fpu avx512_fp16
                """;
        CpuFacts f = CpuFacts.parse(cpuinfo, 2);
        assertThat(f.model()).isEqualTo("AMD EPYC 9R14");
        assertThat(f.flags()).containsExactly("amx_tile", "avx", "avx2", "avx512bw", "avx512f", "fma", "sse4_1",
                "sse4_2");
        assertThat(f.cores()).isEqualTo(2);
    }

    @Test
    void anUnreadableCpuinfoGivesUnknownAndNoFlags() {
        CpuFacts f = CpuFacts.detect(Path.of("/nonexistent/cpuinfo"));
        assertThat(f.model()).isEqualTo("unknown");
        assertThat(f.flags()).isEmpty();
        assertThat(f.cores()).isPositive();
    }
}

package io.callpulse.udf.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RealFft256Test {

    @Test
    void matchesTheDirectTransform() {
        Random r = new Random(3);
        double[] x = new double[256];
        for (int i = 0; i < 256; i++) {
            x[i] = r.nextGaussian();
        }
        double[] re = new double[129];
        double[] im = new double[129];
        RealFft256.transform(x, re, im, new double[128], new double[128]);
        for (int k = 0; k <= 128; k++) {
            double dr = 0;
            double di = 0;
            for (int n = 0; n < 256; n++) {
                dr += x[n] * Math.cos(2 * Math.PI * k * n / 256);
                di -= x[n] * Math.sin(2 * Math.PI * k * n / 256);
            }
            assertThat(re[k]).as("re %d", k).isCloseTo(dr, within(1e-9));
            assertThat(im[k]).as("im %d", k).isCloseTo(di, within(1e-9));
        }
    }

    @Test
    void evenTransformMatchesTheDirectCosineSum() {
        Random r = new Random(4);
        double[] q = new double[128];
        for (int k = 0; k <= 64; k++) {
            q[k] = r.nextDouble();
        }
        for (int k = 1; k < 64; k++) {
            q[128 - k] = q[k];
        }
        double[] re = new double[129];
        RealFft256.evenTransform128(q, re, new double[64], new double[64]);
        for (int m = 0; m <= 64; m++) {
            double d = 0;
            for (int k = 0; k < 128; k++) {
                d += q[k] * Math.cos(2 * Math.PI * k * m / 128);
            }
            assertThat(re[m]).as("lag %d", m).isCloseTo(d, within(1e-9));
        }
    }
}

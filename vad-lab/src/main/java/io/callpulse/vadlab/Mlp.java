package io.callpulse.vadlab;

import io.callpulse.udf.vad.VadFeatures;
import io.callpulse.udf.vad.VadModel;
import java.util.Random;

/**
 * One hidden layer of rectified units and a logistic output, trained by Adam on cross-entropy with
 * soft targets. Plain Java, one thread, deterministic for a seed.
 */
final class Mlp {

    final int inputs;
    final int hidden;
    final float[] mean;
    final float[] scale;
    final float[] w1;
    final float[] b1;
    final float[] w2;
    float b2;

    private final float[] gw1;
    private final float[] gb1;
    private final float[] gw2;
    private float gb2;
    private final float[] m;
    private final float[] v;
    private int step;

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float WEIGHT_DECAY = 1e-5f;

    Mlp(int inputs, int hidden, long seed) {
        this.inputs = inputs;
        this.hidden = hidden;
        mean = new float[inputs];
        scale = new float[inputs];
        w1 = new float[inputs * hidden];
        b1 = new float[hidden];
        w2 = new float[hidden];
        gw1 = new float[w1.length];
        gb1 = new float[hidden];
        gw2 = new float[hidden];
        int params = w1.length + 2 * hidden + 1;
        m = new float[params];
        v = new float[params];
        Random r = new Random(seed);
        double s1 = Math.sqrt(2.0 / inputs);
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) (r.nextGaussian() * s1);
        }
        double s2 = Math.sqrt(1.0 / hidden);
        for (int h = 0; h < hidden; h++) {
            w2[h] = (float) (r.nextGaussian() * s2);
            b1[h] = 0.01f;
        }
    }

    /** Sets mean and scale from the data and standardises it in place. */
    void standardise(float[] x, int n) {
        double[] sum = new double[inputs];
        double[] sq = new double[inputs];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < inputs; j++) {
                double value = x[i * inputs + j];
                sum[j] += value;
                sq[j] += value * value;
            }
        }
        for (int j = 0; j < inputs; j++) {
            double mu = sum[j] / n;
            double var = Math.max(sq[j] / n - mu * mu, 1e-8);
            mean[j] = (float) mu;
            scale[j] = (float) (1 / Math.sqrt(var));
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < inputs; j++) {
                x[i * inputs + j] = (x[i * inputs + j] - mean[j]) * scale[j];
            }
        }
    }

    /** One pass in the given order; returns the mean loss. */
    double epoch(float[] x, float[] y, int[] order, int batch, float lr) {
        float[] a = new float[hidden];
        double loss = 0;
        for (int start = 0; start < order.length; start += batch) {
            int end = Math.min(order.length, start + batch);
            java.util.Arrays.fill(gw1, 0);
            java.util.Arrays.fill(gb1, 0);
            java.util.Arrays.fill(gw2, 0);
            gb2 = 0;
            for (int k = start; k < end; k++) {
                int row = order[k] * inputs;
                float z = b2;
                for (int h = 0; h < hidden; h++) {
                    float s = b1[h];
                    int w = h * inputs;
                    for (int i = 0; i < inputs; i++) {
                        s += w1[w + i] * x[row + i];
                    }
                    a[h] = s > 0 ? s : 0;
                    z += w2[h] * a[h];
                }
                double p = 1 / (1 + Math.exp(-z));
                float t = y[order[k]];
                double pc = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
                loss -= t * Math.log(pc) + (1 - t) * Math.log(1 - pc);
                float dz = (float) (p - t);
                gb2 += dz;
                for (int h = 0; h < hidden; h++) {
                    if (a[h] <= 0) {
                        continue;
                    }
                    gw2[h] += dz * a[h];
                    float da = dz * w2[h];
                    gb1[h] += da;
                    int w = h * inputs;
                    for (int i = 0; i < inputs; i++) {
                        gw1[w + i] += da * x[row + i];
                    }
                }
            }
            float inv = 1f / (end - start);
            step++;
            float c1 = (float) (1 - Math.pow(BETA1, step));
            float c2 = (float) (1 - Math.pow(BETA2, step));
            int p = 0;
            for (int i = 0; i < w1.length; i++) {
                w1[i] -= adam(p++, gw1[i] * inv + WEIGHT_DECAY * w1[i], lr, c1, c2);
            }
            for (int h = 0; h < hidden; h++) {
                b1[h] -= adam(p++, gb1[h] * inv, lr, c1, c2);
                w2[h] -= adam(p++, gw2[h] * inv + WEIGHT_DECAY * w2[h], lr, c1, c2);
            }
            b2 -= adam(p, gb2 * inv, lr, c1, c2);
        }
        return loss / order.length;
    }

    private float adam(int i, float g, float lr, float c1, float c2) {
        m[i] = BETA1 * m[i] + (1 - BETA1) * g;
        v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
        return lr * (m[i] / c1) / ((float) Math.sqrt(v[i] / c2) + 1e-8f);
    }

    VadModel toModel(float smoothing, float on, float off, int hangover) {
        return new VadModel(
                VadFeatures.featureSet(),
                inputs,
                hidden,
                mean.clone(),
                scale.clone(),
                w1.clone(),
                b1.clone(),
                w2.clone(),
                b2,
                smoothing,
                on,
                off,
                hangover);
    }
}

package io.callpulse.udf.vad;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The classifier of {@link LearnedVad}: inputs standardised by the training set's mean and
 * deviation, one hidden layer of rectified units and a logistic output, plus the decision settings
 * the training chose (probability smoothing, hysteresis thresholds, hangover).
 *
 * <p>The weights file is text: {@code key value...} lines, {@code #} comments. It is written by the
 * trainer in module {@code vad-lab}; {@link #write} and {@link #read} are exact inverses.
 */
public final class VadModel implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The weights that ship with callpulse, on the class path next to this class. */
    public static final String RESOURCE = "learned-vad.weights";

    public final String featureSet;
    public final int inputs;
    public final int hidden;
    public final float[] mean;
    public final float[] scale; // 1 / deviation
    public final float[] w1; // hidden x inputs, row-major, already folded with mean and scale
    public final float[] b1;
    public final float[] w2;
    public final float b2;

    /** Probability smoothing: p' = p' + smoothing (p - p'). 1 is none. */
    public final float smoothing;

    public final float onThreshold;
    public final float offThreshold;
    public final int hangoverFrames;

    private final float[] foldedW1;
    private final float[] foldedB1;

    public VadModel(
            String featureSet,
            int inputs,
            int hidden,
            float[] mean,
            float[] scale,
            float[] w1,
            float[] b1,
            float[] w2,
            float b2,
            float smoothing,
            float onThreshold,
            float offThreshold,
            int hangoverFrames) {
        if (mean.length != inputs
                || scale.length != inputs
                || w1.length != inputs * hidden
                || b1.length != hidden
                || w2.length != hidden) {
            throw new IllegalArgumentException(
                    "weights: sizes do not match " + inputs + "x" + hidden);
        }
        this.featureSet = featureSet;
        this.inputs = inputs;
        this.hidden = hidden;
        this.mean = mean;
        this.scale = scale;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
        this.smoothing = smoothing;
        this.onThreshold = onThreshold;
        this.offThreshold = offThreshold;
        this.hangoverFrames = hangoverFrames;
        // fold the standardisation into the first layer: w (x - m) s = (w s) x - sum(w s m)
        foldedW1 = new float[w1.length];
        foldedB1 = new float[hidden];
        for (int h = 0; h < hidden; h++) {
            double bias = b1[h];
            for (int i = 0; i < inputs; i++) {
                float w = w1[h * inputs + i] * scale[i];
                foldedW1[h * inputs + i] = w;
                bias -= (double) w * mean[i];
            }
            foldedB1[h] = (float) bias;
        }
    }

    /** The speech probability of one input vector; {@code work} holds at least hidden floats. */
    public float probability(float[] x, float[] work) {
        float[] w = foldedW1;
        int n = inputs;
        int n4 = n & ~3;
        float z = b2;
        for (int h = 0; h < hidden; h++) {
            int row = h * n;
            // four partial sums: independent chains the CPU can run side by side
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            int i = 0;
            for (; i < n4; i += 4) {
                a0 += w[row + i] * x[i];
                a1 += w[row + i + 1] * x[i + 1];
                a2 += w[row + i + 2] * x[i + 2];
                a3 += w[row + i + 3] * x[i + 3];
            }
            for (; i < n; i++) {
                a0 += w[row + i] * x[i];
            }
            float a = foldedB1[h] + (a0 + a1) + (a2 + a3);
            if (a > 0) {
                z += w2[h] * a;
            }
        }
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    /** The shipped weights, read once. */
    public static VadModel shipped() {
        return Shipped.MODEL;
    }

    private static final class Shipped {
        static final VadModel MODEL = load();

        private static VadModel load() {
            try (InputStream in = VadModel.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                return read(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static VadModel read(Reader reader) throws IOException {
        Map<String, String[]> fields = new HashMap<>();
        BufferedReader lines = new BufferedReader(reader);
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            fields.put(parts[0], Arrays.copyOfRange(parts, 1, parts.length));
        }
        String featureSet = one(fields, "features");
        if (!VadFeatures.FEATURE_SET.equals(featureSet)) {
            throw new IllegalArgumentException(
                    "weights: feature set "
                            + featureSet
                            + " does not match the code's "
                            + VadFeatures.FEATURE_SET);
        }
        int inputs = Integer.parseInt(one(fields, "inputs"));
        int hidden = Integer.parseInt(one(fields, "hidden"));
        return new VadModel(
                featureSet,
                inputs,
                hidden,
                floats(fields, "mean"),
                floats(fields, "scale"),
                floats(fields, "w1"),
                floats(fields, "b1"),
                floats(fields, "w2"),
                Float.parseFloat(one(fields, "b2")),
                Float.parseFloat(one(fields, "smoothing")),
                Float.parseFloat(one(fields, "on")),
                Float.parseFloat(one(fields, "off")),
                Integer.parseInt(one(fields, "hangover")));
    }

    /** The weights file's text. */
    public String write(String comment) {
        StringBuilder out = new StringBuilder();
        for (String line : comment.split("\n")) {
            out.append("# ").append(line).append('\n');
        }
        out.append("features ").append(featureSet).append('\n');
        out.append("inputs ").append(inputs).append('\n');
        out.append("hidden ").append(hidden).append('\n');
        out.append("smoothing ").append(smoothing).append('\n');
        out.append("on ").append(onThreshold).append('\n');
        out.append("off ").append(offThreshold).append('\n');
        out.append("hangover ").append(hangoverFrames).append('\n');
        append(out, "mean", mean);
        append(out, "scale", scale);
        append(out, "w1", w1);
        append(out, "b1", b1);
        append(out, "w2", w2);
        out.append("b2 ").append(b2).append('\n');
        return out.toString();
    }

    /** The same network with other decision settings. */
    public VadModel withDecision(float smoothing, float on, float off, int hangover) {
        return new VadModel(
                featureSet,
                inputs,
                hidden,
                mean,
                scale,
                w1,
                b1,
                w2,
                b2,
                smoothing,
                on,
                off,
                hangover);
    }

    private static void append(StringBuilder out, String key, float[] values) {
        out.append(key);
        for (float v : values) {
            out.append(' ').append(v);
        }
        out.append('\n');
    }

    private static String one(Map<String, String[]> fields, String key) {
        String[] v = fields.get(key);
        if (v == null || v.length != 1) {
            throw new IllegalArgumentException("weights: expected one value for " + key);
        }
        return v[0];
    }

    private static float[] floats(Map<String, String[]> fields, String key) {
        String[] v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException("weights: missing " + key);
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.parseFloat(v[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "VadModel[%s, %d-%d-1, smoothing %.2f, on %.2f, off %.2f, hangover %d]",
                featureSet,
                inputs,
                hidden,
                smoothing,
                onThreshold,
                offThreshold,
                hangoverFrames);
    }
}

package io.callpulse.vadlab;

import io.callpulse.udf.vad.VadModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the decision settings of a trained network on a validation set: probability smoothing,
 * hysteresis thresholds and hangover, scored as the devset scorer does (10 ms labels, each taking
 * the decision of the 20 ms frame holding its midpoint), F1 per SNR group pooled over noises.
 */
final class Decision {

    static final String[] GROUPS = {"clean", "20", "10", "5", "0", "call"};

    /** Counts of talk-over (both tracks of a call speaking), under this key in counts(). */
    static final String OVERLAP = "overlap";

    private Decision() {}

    /** Per-frame network probabilities of each sequence. */
    static float[][] probabilities(VadModel m, List<Features.Sequence> seqs) {
        float[][] out = new float[seqs.size()][];
        float[] row = new float[m.inputs];
        float[] work = new float[m.hidden];
        for (int s = 0; s < seqs.size(); s++) {
            Features.Sequence q = seqs.get(s);
            out[s] = new float[q.frames()];
            for (int f = 0; f < q.frames(); f++) {
                System.arraycopy(q.inputs(), f * m.inputs, row, 0, m.inputs);
                out[s][f] = m.probability(row, work);
            }
        }
        return out;
    }

    /** The detector's decisions from probabilities, exactly as LearnedVad makes them. */
    static boolean[] decide(float[] p, float smoothing, float on, float off, int hangover) {
        boolean[] out = new boolean[p.length];
        float smoothed = 0;
        boolean active = false;
        float countdown = 0;
        for (int f = 0; f < p.length; f++) {
            smoothed = smoothed + smoothing * (p[f] - smoothed);
            active = active ? smoothed >= off : smoothed >= on;
            if (active) {
                countdown = hangover;
                out[f] = true;
            } else if (countdown > 0) {
                countdown--;
                out[f] = true;
            }
        }
        return out;
    }

    /** tp, fp, fn, tn per group. */
    static Map<String, long[]> counts(List<Features.Sequence> seqs, boolean[][] decisions) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String g : GROUPS) {
            out.put(g, new long[4]);
        }
        long[] overlap = new long[4];
        out.put(OVERLAP, overlap);
        for (int s = 0; s < seqs.size(); s++) {
            Features.Sequence q = seqs.get(s);
            if (q.item().id().endsWith(".inbound")) {
                String other = q.item().id().replace(".inbound", ".outbound");
                for (int t = 0; t < seqs.size(); t++) {
                    if (seqs.get(t).item().id().equals(other)) {
                        overlapCounts(q, decisions[s], seqs.get(t), decisions[t], overlap);
                    }
                }
            }
        }
        for (int s = 0; s < seqs.size(); s++) {
            Features.Sequence q = seqs.get(s);
            long[] c = out.get(q.item().snrGroup());
            boolean[] labels = q.labels();
            boolean[] d = decisions[s];
            for (int j = 0; j < labels.length; j++) {
                int f = j / 2;
                boolean dec = f < d.length && d[f];
                c[(labels[j] ? 0 : 1) + (dec ? 0 : 2)]++;
            }
        }
        return out;
    }

    private static void overlapCounts(
            Features.Sequence a, boolean[] da, Features.Sequence b, boolean[] db, long[] c) {
        int n = Math.min(a.labels().length, b.labels().length);
        for (int j = 0; j < n; j++) {
            int f = j / 2;
            boolean truth = a.labels()[j] && b.labels()[j];
            boolean dec = f < da.length && da[f] && f < db.length && db[f];
            c[(truth ? 0 : 1) + (dec ? 0 : 2)]++;
        }
    }

    static double f1(long[] c) {
        double denom = 2.0 * c[0] + c[1] + c[2];
        return denom == 0 ? 0 : 2.0 * c[0] / denom;
    }

    static double falseAlarm(long[] c) {
        return c[1] + c[3] == 0 ? 0 : c[1] / (double) (c[1] + c[3]);
    }

    /** The false-alarm rate at 5 dB above which the choice is penalised. */
    static double fa5Target = 0.13;

    /** Whether the talk-over F1 of the calls counts in the objective as one more group. */
    static boolean withOverlap = false;

    /**
     * Mean F1 over groups (and talk-over, if asked), less penalties for false alarms over the
     * targets at 5 and 0 dB.
     */
    static double objective(Map<String, long[]> c) {
        double sum = 0;
        for (String g : GROUPS) {
            sum += f1(c.get(g));
        }
        if (withOverlap) {
            sum = (sum + f1(c.get(OVERLAP))) * GROUPS.length / (GROUPS.length + 1);
        }
        double penalty =
                4 * Math.max(0, falseAlarm(c.get("5")) - fa5Target)
                        + 2 * Math.max(0, falseAlarm(c.get("0")) - 0.27);
        return sum / GROUPS.length - penalty;
    }

    static VadModel choose(VadModel m, List<Features.Sequence> valid) {
        float[][] p = probabilities(m, valid);
        boolean[][] d = new boolean[p.length][];
        double best = Double.NEGATIVE_INFINITY;
        VadModel chosen = m;
        for (float smoothing : new float[] {1f, 0.6f, 0.4f, 0.25f}) {
            for (int hang = 0; hang <= 12; hang += 2) {
                for (int onI = 6; onI <= 16; onI++) {
                    float on = onI * 0.05f;
                    for (float gap : new float[] {0f, 0.1f, 0.2f, 0.3f}) {
                        float off = on - gap;
                        if (off < 0.05f) {
                            continue;
                        }
                        for (int s = 0; s < p.length; s++) {
                            d[s] = decide(p[s], smoothing, on, off, hang);
                        }
                        double o = objective(counts(valid, d));
                        if (o > best + 1e-9) {
                            best = o;
                            chosen = m.withDecision(smoothing, on, off, hang);
                        }
                    }
                }
            }
        }
        return chosen;
    }

    static String report(VadModel m, List<Features.Sequence> seqs) {
        float[][] p = probabilities(m, seqs);
        boolean[][] d = new boolean[p.length][];
        for (int s = 0; s < p.length; s++) {
            d[s] = decide(p[s], m.smoothing, m.onThreshold, m.offThreshold, m.hangoverFrames);
        }
        Map<String, long[]> c = counts(seqs, d);
        StringBuilder out = new StringBuilder("validation:");
        for (String g : GROUPS) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            " %s F1 %.3f FA %.3f;",
                            g,
                            f1(c.get(g)),
                            falseAlarm(c.get(g))));
        }
        out.append(String.format(Locale.ROOT, " talk-over F1 %.3f", f1(c.get(OVERLAP))));
        return out.toString();
    }
}

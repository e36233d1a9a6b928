package io.callpulse.vadlab;

import io.callpulse.udf.vad.VadFeatures;
import io.callpulse.udf.vad.VadModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the {@link VadModel} of {@code LearnedVad}: features of generated sets (through the
 * detector's own code), a one-hidden-layer network trained with Adam on cross-entropy, then the
 * decision settings (smoothing, hysteresis, hangover) chosen on a validation set. Deterministic:
 * fixed seeds, one thread.
 *
 * <pre>
 * train --train DIR[,DIR...] --valid DIR --out FILE [--hidden 24] [--epochs 8] [--seed 1]
 *       [--gains-db 0,-10,8] [--lr 0.002] [--fa5-target 0.13]
 *       [--remix 0] [--remix-gain-db -14,8] [--with-overlap false]
 * </pre>
 */
public final class Train {

    private Train() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        List<Path> trainDirs = new ArrayList<>();
        for (String d : Args.required(a, "train").split(",")) {
            trainDirs.add(Path.of(d));
        }
        Path validDir = Path.of(Args.required(a, "valid"));
        Path out = Path.of(Args.required(a, "out"));
        int hidden = Integer.parseInt(a.getOrDefault("hidden", "24"));
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "8"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        float lr = Float.parseFloat(a.getOrDefault("lr", "0.002"));
        Decision.fa5Target = Double.parseDouble(a.getOrDefault("fa5-target", "0.13"));
        Decision.withOverlap = Boolean.parseBoolean(a.getOrDefault("with-overlap", "false"));
        String gainsText = a.getOrDefault("gains-db", "0,-10,8");
        double[] gains =
                java.util.Arrays.stream(gainsText.split(","))
                        .mapToDouble(Double::parseDouble)
                        .toArray();

        long t0 = System.nanoTime();
        List<Features.Sequence> train = new ArrayList<>();
        int remix = Integer.parseInt(a.getOrDefault("remix", "0"));
        String[] remixGain = a.getOrDefault("remix-gain-db", "-14,8").split(",");
        double remixGainLo = Double.parseDouble(remixGain[0]);
        double remixGainHi = Double.parseDouble(remixGain[1]);
        Random mixing = new Random(seed + 2);
        int gi = 0;
        for (Path dir : trainDirs) {
            List<Corpus.Item> items = Corpus.items(dir, true);
            for (Corpus.Item item : items) {
                // each file once, at a gain taken in turn from the list, so levels vary
                train.add(Features.extract(item, gains[gi++ % gains.length]));
            }
            // remixes: each noisy single-track file's noise at another level (-8..+10 dB) and
            // the whole at another gain (--remix-gain-db, -14..+8 dB), to cover SNRs and levels
            // between and beyond the generator's
            for (int r = 0; r < remix; r++) {
                for (Corpus.Item item : items) {
                    if (!item.folder().equals("vad") || item.snrGroup().equals("clean")) {
                        continue;
                    }
                    String set = item.id().substring(0, item.id().indexOf('_'));
                    Corpus.Item clean =
                            items.stream()
                                    .filter(i -> i.id().equals(set + "_clean_inf"))
                                    .findFirst()
                                    .orElseThrow();
                    double noiseDb = -8 + 18 * mixing.nextDouble();
                    double gainDb = remixGainLo + (remixGainHi - remixGainLo) * mixing.nextDouble();
                    train.add(Features.remix(item, clean, noiseDb, gainDb));
                }
            }
        }
        List<Features.Sequence> valid = new ArrayList<>();
        for (Corpus.Item item : Corpus.items(validDir, true)) {
            valid.add(Features.extract(item, 0));
        }
        int n = 0;
        for (Features.Sequence s : train) {
            n += s.frames();
        }
        System.out.printf(
                Locale.ROOT,
                "features: %d training frames from %d files, %d validation files, %.1f s%n",
                n,
                train.size(),
                valid.size(),
                (System.nanoTime() - t0) / 1e9);

        int d = VadFeatures.INPUTS;
        float[] x = new float[n * d];
        float[] y = new float[n];
        int at = 0;
        for (Features.Sequence s : train) {
            System.arraycopy(s.inputs(), 0, x, at * d, s.frames() * d);
            System.arraycopy(s.targets(), 0, y, at, s.frames());
            at += s.frames();
        }
        train.clear();

        Mlp net = new Mlp(d, hidden, seed);
        net.standardise(x, n);
        Random shuffle = new Random(seed + 1);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int e = 0; e < epochs; e++) {
            long te = System.nanoTime();
            for (int i = n - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            float rate = lr * (float) (0.5 * (1 + Math.cos(Math.PI * e / epochs)));
            double loss = net.epoch(x, y, order, 128, rate);
            VadModel m = net.toModel(1f, 0.5f, 0.5f, 0);
            double validLoss = validLoss(m, valid);
            System.out.printf(
                    Locale.ROOT,
                    "epoch %d lr %.5f train loss %.4f valid loss %.4f (%.1f s)%n",
                    e + 1,
                    rate,
                    loss,
                    validLoss,
                    (System.nanoTime() - te) / 1e9);
        }

        VadModel model = Decision.choose(net.toModel(1f, 0.5f, 0.5f, 0), valid);
        System.out.println("chosen: " + model);
        System.out.println(Decision.report(model, valid));
        String comment =
                "callpulse LearnedVad weights, written by vad-lab Train\n"
                        + "train "
                        + trainDirs.stream().map(p -> p.getFileName().toString()).toList()
                        + " valid "
                        + validDir.getFileName()
                        + "\n"
                        + String.format(
                                Locale.ROOT,
                                "hidden %d epochs %d seed %d lr %s gains-db %s remix %d"
                                        + " remix-gain-db %s fa5-target %s with-overlap %s",
                                hidden,
                                epochs,
                                seed,
                                lr,
                                gainsText,
                                remix,
                                String.join(",", remixGain),
                                Decision.fa5Target,
                                Decision.withOverlap);
        String text = model.write(comment);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, text, StandardCharsets.UTF_8);
        String sha = sha256(text.getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                out.resolveSibling(out.getFileName() + ".sha256"),
                sha + "  " + out.getFileName() + "\n",
                StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " sha256 " + sha);
    }

    static double validLoss(VadModel m, List<Features.Sequence> valid) {
        float[] row = new float[m.inputs];
        float[] work = new float[m.hidden];
        double loss = 0;
        long count = 0;
        for (Features.Sequence s : valid) {
            for (int f = 0; f < s.frames(); f++) {
                System.arraycopy(s.inputs(), f * m.inputs, row, 0, m.inputs);
                double p = Math.min(Math.max(m.probability(row, work), 1e-6), 1 - 1e-6);
                float t = s.targets()[f];
                loss -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
                count++;
            }
        }
        return loss / count;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** --key value pairs. */
    static final class Args {
        static Map<String, String> parse(String[] args) {
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --key value, found " + args[i]);
                }
                out.put(args[i].substring(2), args[++i]);
            }
            return out;
        }

        static String required(Map<String, String> a, String key) {
            String v = a.get(key);
            if (v == null) {
                throw new IllegalArgumentException("missing --" + key);
            }
            return v;
        }
    }
}

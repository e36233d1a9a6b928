package io.callpulse.job.state;

import io.callpulse.records.Track;
import io.callpulse.udf.level.Levels;
import java.util.Arrays;

/**
 * One stream's frames in one window: per 20 ms slot and track, whether a frame came and whether it
 * was speech, and its level; plus per-track sums. The slots let the window's conversation be
 * followed in time order whatever order the frames came in. Keyed state, so a plain POJO with one
 * field per track (Flink has no serializer for arrays of arrays).
 */
public class WindowAccumulator {

    /** Slot states. */
    public static final byte NO_FRAME = 0;

    public static final byte SILENCE = 1;
    public static final byte SPEECH = 2;

    public byte[] inboundSlots;
    public byte[] outboundSlots;
    public float[] inboundLevelsDbfs;
    public float[] outboundLevelsDbfs;

    /** Per track, indexed by {@link #index(Track)}. */
    public int[] frames = new int[2];

    public int[] speechFrames = new int[2];
    public double[] powerSum = new double[2];
    public double[] speechPowerSum = new double[2];
    public int[] peak = new int[2];
    public long[] clippedSamples = new long[2];
    public long[] samples = new long[2];

    public WindowAccumulator() {}

    public WindowAccumulator(int slots) {
        inboundSlots = new byte[slots];
        outboundSlots = new byte[slots];
        inboundLevelsDbfs = new float[slots];
        outboundLevelsDbfs = new float[slots];
    }

    public static int index(Track track) {
        return track == Track.INBOUND ? 0 : 1;
    }

    public byte[] slots(Track track) {
        return track == Track.INBOUND ? inboundSlots : outboundSlots;
    }

    public float[] levelsDbfs(Track track) {
        return track == Track.INBOUND ? inboundLevelsDbfs : outboundLevelsDbfs;
    }

    /** Adds one frame; a second frame for an occupied slot (a duplicate by time) is ignored. */
    public boolean addFrame(
            Track track,
            int slot,
            boolean speech,
            double meanSquare,
            int framePeak,
            int clipped,
            int sampleCount) {
        byte[] slots = slots(track);
        if (slots[slot] != NO_FRAME) {
            return false;
        }
        slots[slot] = speech ? SPEECH : SILENCE;
        levelsDbfs(track)[slot] = (float) Levels.dbfs(meanSquare);
        int i = index(track);
        frames[i]++;
        powerSum[i] += meanSquare;
        if (speech) {
            speechFrames[i]++;
            speechPowerSum[i] += meanSquare;
        }
        peak[i] = Math.max(peak[i], framePeak);
        clippedSamples[i] += clipped;
        samples[i] += sampleCount;
        return true;
    }

    /**
     * The noise floor: the power mean of the quietest fifth (at least one) of the frames without
     * speech, in dBFS; {@code null} when every frame was speech.
     */
    public Double noiseFloorDbfs(Track track) {
        byte[] slots = slots(track);
        float[] levels = levelsDbfs(track);
        float[] quiet = new float[slots.length];
        int count = 0;
        for (int s = 0; s < slots.length; s++) {
            if (slots[s] == SILENCE) {
                quiet[count++] = levels[s];
            }
        }
        if (count == 0) {
            return null;
        }
        Arrays.sort(quiet, 0, count);
        int quietest = Math.max(1, count / 5);
        double power = 0;
        for (int q = 0; q < quietest; q++) {
            power += Math.pow(10.0, quiet[q] / 10.0);
        }
        return Levels.dbfs(power / quietest);
    }
}

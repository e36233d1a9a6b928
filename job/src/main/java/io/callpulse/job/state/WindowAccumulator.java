package io.callpulse.job.state;

import io.callpulse.records.Track;

/** One stream's running figures for one window, per track. Keyed state, so a plain POJO. */
public class WindowAccumulator {

    /** Complete frames per track, indexed by {@link #index(Track)}. */
    public int[] frames = new int[2];

    /** Sum over those frames of each frame's normalised mean square. */
    public double[] powerSum = new double[2];

    public WindowAccumulator() {}

    public static int index(Track track) {
        return track == Track.INBOUND ? 0 : 1;
    }

    public void addFrame(Track track, double meanSquare) {
        int i = index(track);
        frames[i]++;
        powerSum[i] += meanSquare;
    }
}

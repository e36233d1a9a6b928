package io.callpulse.job.state;

/**
 * Everything the job keeps of one track of one stream between records: chunk order and health, the
 * unfinished frame, the voice activity detector's memory, and the health counts already reported
 * (so that each window reports what was noticed since the previous one). Keyed state.
 */
public class TrackAnalysis {

    public TrackSequence sequence = new TrackSequence();
    public TrackFramer framer = new TrackFramer();
    public float[] vadState;

    public long reportedReceived;
    public long reportedMissing;
    public long reportedDuplicates;
    public long reportedReordered;
    public long reportedLate;

    /** Frames that arrived after their window had been emitted (event-time late). */
    public long lateFrames;

    // the whole stream's figures, for its summary
    public long callFrames;
    public long callSpeechFrames;
    public double callPowerSum;
    public double callSpeechPowerSum;
    public double callNoiseFloorPowerSum;
    public int callNoiseFloorWindows;
    public int callPeak;
    public long callClippedSamples;
    public long callSamples;

    /** Media time of the track's first audio, -1 before any. */
    public long firstMediaMs = -1;

    public TrackAnalysis() {}
}

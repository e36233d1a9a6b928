package io.callpulse.records;

/**
 * One track's figures in one window of {@link WindowMetrics}. Levels are RMS in dBFS (a full-scale
 * sine reads -3.01); averages of levels are power means.
 *
 * @param frames complete 20 ms analysis frames whose start falls in the window
 * @param meanLevelDbfs the level over all those frames (a window half at -20 dBFS and half
 *     digitally silent reads -23.01)
 * @param speechFrames frames the voice activity detector (with its 200 ms hangover) calls speech
 * @param talkMs speech time: speech frames times 20 ms
 * @param silenceRatio the fraction of frames without speech
 * @param speechLevelDbfs the active speech level: the level over speech frames; null without any
 * @param noiseFloorDbfs the level over the quietest fifth (at least one) of the frames without
 *     speech; null without any
 * @param snrDb speech level minus noise floor; null when either is
 * @param peakDbfs the largest sample magnitude (0 dBFS is full scale)
 * @param clippingRatio the fraction of samples within 0.1 dB of full scale
 * @param health the track's chunk arrival in this window
 */
public record TrackWindowMetrics(
        int frames,
        double meanLevelDbfs,
        int speechFrames,
        long talkMs,
        double silenceRatio,
        Double speechLevelDbfs,
        Double noiseFloorDbfs,
        Double snrDb,
        double peakDbfs,
        double clippingRatio,
        ChunkHealth health) {}

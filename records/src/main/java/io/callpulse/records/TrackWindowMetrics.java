package io.callpulse.records;

/**
 * One track's figures in one window of {@link WindowMetrics}.
 *
 * @param frames complete 20 ms analysis frames whose start falls in the window
 * @param meanLevelDbfs the RMS level over those frames (the power mean, so a window half at -20
 *     dBFS and half digitally silent reads -23.01), or the digital-silence floor when there are no
 *     frames
 */
public record TrackWindowMetrics(int frames, double meanLevelDbfs) {}

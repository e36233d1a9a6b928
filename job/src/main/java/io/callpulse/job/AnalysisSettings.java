package io.callpulse.job;

import io.callpulse.udf.conversation.ConversationRules;
import io.callpulse.udf.conversation.ConversationTracker;
import io.callpulse.udf.vad.AdaptiveEnergyVad;
import io.callpulse.udf.vad.Hangover;
import io.callpulse.udf.vad.LearnedVad;
import io.callpulse.udf.vad.VoiceActivityDetector;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The thresholds of the analysis, each a job argument.
 *
 * @param vad the voice activity detector ({@code --vad}, default {@code learned})
 * @param vadHangoverMs the energy detector holds speech this long past its last speech frame
 *     ({@code --vad-hangover-ms}, default 200); the learned detector's decision already trails the
 *     end of speech, as it was trained to, and takes no extra hangover
 * @param deadAirMs both parties silent this long is dead air ({@code --dead-air-ms}, default 3000)
 * @param interruptionMs an overlap this long begun by one party while the other spoke is an
 *     interruption ({@code --interruption-ms}, default 500)
 * @param reorderChunks audio records held per track waiting for a missing chunk ({@code
 *     --reorder-chunks}, default 5: about 500 ms with the ingest's 100 ms records)
 * @param vadMarginDb for the energy detector, a frame this far above the noise floor is speech
 *     ({@code --vad-margin-db}, default 9)
 * @param vadMinSpeechDbfs and at least this loud ({@code --vad-min-speech-dbfs}, default -55)
 */
public record AnalysisSettings(
        Vad vad,
        long vadHangoverMs,
        long deadAirMs,
        long interruptionMs,
        int reorderChunks,
        double vadMarginDb,
        double vadMinSpeechDbfs)
        implements Serializable {

    /** The voice activity detectors the job can run. */
    public enum Vad {
        /**
         * {@link LearnedVad}: spectral and pitch features and a small network; holds up in noise
         * (docs/vad.md). The default.
         */
        LEARNED,
        /**
         * {@link AdaptiveEnergyVad} with a hangover: a frame well above the track's noise floor is
         * speech. Cheaper (0.1 µs a frame against 3 µs) and exactly predictable on clean synthetic
         * signals, but it takes loud noise for speech.
         */
        ENERGY;

        /** The argument's spelling: {@code learned}, {@code energy}. */
        public String argument() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Vad fromArgument(String raw) {
            for (Vad vad : values()) {
                if (vad.argument().equals(raw.trim().toLowerCase(Locale.ROOT))) {
                    return vad;
                }
            }
            throw new IllegalArgumentException(
                    "--vad: expected one of "
                            + Arrays.stream(values())
                                    .map(Vad::argument)
                                    .collect(Collectors.joining(", "))
                            + ", found '"
                            + raw
                            + "'");
        }
    }

    public static final AnalysisSettings DEFAULTS =
            new AnalysisSettings(
                    Vad.LEARNED,
                    200,
                    3_000,
                    500,
                    5,
                    AdaptiveEnergyVad.DEFAULT_MARGIN_DB,
                    AdaptiveEnergyVad.DEFAULT_MIN_SPEECH_DBFS);

    public AnalysisSettings {
        if (vad == null) {
            throw new IllegalArgumentException("--vad: expected learned or energy, found nothing");
        }
        if (vadHangoverMs < 0 || vadHangoverMs % ConversationTracker.SLOT_MS != 0) {
            throw new IllegalArgumentException(
                    "--vad-hangover-ms: expected 0 or a multiple of 20, found " + vadHangoverMs);
        }
    }

    /** These settings with another detector. */
    public AnalysisSettings withVad(Vad other) {
        return new AnalysisSettings(
                other,
                vadHangoverMs,
                deadAirMs,
                interruptionMs,
                reorderChunks,
                vadMarginDb,
                vadMinSpeechDbfs);
    }

    public ConversationRules conversationRules() {
        return new ConversationRules(deadAirMs, interruptionMs);
    }

    public VoiceActivityDetector voiceActivityDetector() {
        return switch (vad) {
            case LEARNED -> new LearnedVad();
            case ENERGY ->
                    new Hangover(
                            new AdaptiveEnergyVad(
                                    vadMarginDb,
                                    vadMinSpeechDbfs,
                                    AdaptiveEnergyVad.DEFAULT_RISE_DB_PER_FRAME),
                            (int) (vadHangoverMs / ConversationTracker.SLOT_MS));
        };
    }
}

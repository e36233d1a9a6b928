package io.callpulse.job;

import io.callpulse.udf.conversation.ConversationRules;
import io.callpulse.udf.conversation.ConversationTracker;
import io.callpulse.udf.vad.AdaptiveEnergyVad;
import io.callpulse.udf.vad.Hangover;
import io.callpulse.udf.vad.VoiceActivityDetector;
import java.io.Serializable;

/**
 * The thresholds of the analysis, each a job argument.
 *
 * @param vadHangoverMs speech is held this long past the last speech frame ({@code
 *     --vad-hangover-ms}, default 200)
 * @param deadAirMs both parties silent this long is dead air ({@code --dead-air-ms}, default 3000)
 * @param interruptionMs an overlap this long begun by one party while the other spoke is an
 *     interruption ({@code --interruption-ms}, default 500)
 * @param reorderChunks chunks held per track waiting for a missing one ({@code --reorder-chunks},
 *     default 5)
 * @param vadMarginDb a frame this far above the noise floor is speech ({@code --vad-margin-db},
 *     default 9)
 * @param vadMinSpeechDbfs and at least this loud ({@code --vad-min-speech-dbfs}, default -55)
 */
public record AnalysisSettings(
        long vadHangoverMs,
        long deadAirMs,
        long interruptionMs,
        int reorderChunks,
        double vadMarginDb,
        double vadMinSpeechDbfs)
        implements Serializable {

    public static final AnalysisSettings DEFAULTS =
            new AnalysisSettings(
                    200,
                    3_000,
                    500,
                    5,
                    AdaptiveEnergyVad.DEFAULT_MARGIN_DB,
                    AdaptiveEnergyVad.DEFAULT_MIN_SPEECH_DBFS);

    public AnalysisSettings {
        if (vadHangoverMs < 0 || vadHangoverMs % ConversationTracker.SLOT_MS != 0) {
            throw new IllegalArgumentException(
                    "--vad-hangover-ms: expected 0 or a multiple of 20, found " + vadHangoverMs);
        }
    }

    public ConversationRules conversationRules() {
        return new ConversationRules(deadAirMs, interruptionMs);
    }

    public VoiceActivityDetector voiceActivityDetector() {
        return new Hangover(
                new AdaptiveEnergyVad(
                        vadMarginDb, vadMinSpeechDbfs, AdaptiveEnergyVad.DEFAULT_RISE_DB_PER_FRAME),
                (int) (vadHangoverMs / ConversationTracker.SLOT_MS));
    }
}

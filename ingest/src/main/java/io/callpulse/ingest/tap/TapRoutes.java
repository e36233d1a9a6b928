package io.callpulse.ingest.tap;

import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.plivo.PlivoRoutes;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.ingest.websocket.StreamRoute;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.LongSupplier;

/** The WebSocket route of the bidirectional tap, and its settings. */
public final class TapRoutes {

    private TapRoutes() {}

    /**
     * The tap on {@code path}: upgrades signed by Plivo as on the plain route, each connection
     * relayed to {@code botUri} and recorded.
     *
     * @param scheduler releases played audio and times out connects; see {@link #newScheduler()}
     * @throws IllegalArgumentException if {@code botUri} is not a ws:// or wss:// URL with a host
     */
    public static StreamRoute stream(
            String path,
            PlivoRequestVerifier verifier,
            RecordSink sink,
            LongSupplier clock,
            URI botUri,
            ScheduledExecutorService scheduler) {
        URI bot = parseBotUrl("botUri", botUri.toString());
        return new StreamRoute(
                path,
                "tap",
                PlivoRoutes.signedUpgrade(verifier),
                plivo ->
                        TapProtocol.open(
                                plivo,
                                bot,
                                sink,
                                clock,
                                scheduler,
                                TapProtocol.DEFAULT_CONNECT_TIMEOUT));
    }

    /**
     * One thread shared by every tap: each release is a few microseconds of work every 20 ms per
     * connection. Daemon, so a forgotten shutdown never holds the process. Shut it down after the
     * WebSocket server, so that the bots of the streams it closed are let go.
     */
    public static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor scheduler =
                new ScheduledThreadPoolExecutor(
                        1,
                        task -> {
                            Thread thread = new Thread(task, "callpulse-tap-scheduler");
                            thread.setDaemon(true);
                            return thread;
                        });
        // every connection cancels its periodic release when it closes: do not keep them queued
        scheduler.setRemoveOnCancelPolicy(true);
        // on shutdown, the taps' last closes (due now) still run; their timeouts are dropped
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return scheduler;
    }

    /**
     * Reads the bot's URL from a setting.
     *
     * @throws IllegalArgumentException naming the setting, unless the value is a ws:// or wss://
     *     URL with a host and no fragment
     */
    public static URI parseBotUrl(String setting, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw badBotUrl(setting, value, e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw badBotUrl(setting, value, "the scheme must be ws or wss");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw badBotUrl(setting, value, "no host");
        }
        if (uri.getRawFragment() != null) {
            throw badBotUrl(setting, value, "a WebSocket URL has no fragment");
        }
        return uri;
    }

    private static IllegalArgumentException badBotUrl(String setting, String value, String why) {
        return new IllegalArgumentException(
                setting
                        + ": expected the bot's WebSocket URL (ws:// or wss:// with a host), found"
                        + " '"
                        + value
                        + "': "
                        + why);
    }

    /** The bot's URL with the query of Plivo's request appended (the bot sees what Plivo sent). */
    static URI withQueryOf(URI botUri, String plivoResourceDescriptor) {
        String plivoQuery = URI.create(plivoResourceDescriptor).getRawQuery();
        if (plivoQuery == null || plivoQuery.isEmpty()) {
            return botUri;
        }
        String separator = botUri.getRawQuery() == null ? "?" : "&";
        return URI.create(botUri + separator + plivoQuery);
    }

    /**
     * The bot's URL as it appears in events and logs: without credentials in the user info or the
     * query, and without Plivo's query.
     */
    public static String redacted(URI botUri) {
        return botUri.getScheme()
                + "://"
                + botUri.getHost()
                + (botUri.getPort() == -1 ? "" : ":" + botUri.getPort())
                + (botUri.getRawPath() == null ? "" : botUri.getRawPath());
    }
}

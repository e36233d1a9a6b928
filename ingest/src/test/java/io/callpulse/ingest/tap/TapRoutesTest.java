package io.callpulse.ingest.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class TapRoutesTest {

    private static final String SETTING = "callpulse.tap.bot.url";

    @Test
    void aWsOrWssUrlWithAHostIsAccepted() {
        assertThat(TapRoutes.parseBotUrl(SETTING, " wss://bot.example.com:8443/agent?key=k "))
                .isEqualTo(URI.create("wss://bot.example.com:8443/agent?key=k"));
        assertThat(TapRoutes.parseBotUrl(SETTING, "ws://10.0.0.5/"))
                .isEqualTo(URI.create("ws://10.0.0.5/"));
    }

    @Test
    void anythingElseIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> TapRoutes.parseBotUrl(SETTING, "https://bot.example.com/agent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "callpulse.tap.bot.url: expected the bot's WebSocket URL (ws:// or wss://"
                                + " with a host), found 'https://bot.example.com/agent': the"
                                + " scheme must be ws or wss");
        assertThatThrownBy(() -> TapRoutes.parseBotUrl(SETTING, "ws:///agent"))
                .hasMessageEndingWith("found 'ws:///agent': no host");
        assertThatThrownBy(() -> TapRoutes.parseBotUrl(SETTING, "bot.example.com:9000"))
                .hasMessageEndingWith("the scheme must be ws or wss");
        assertThatThrownBy(() -> TapRoutes.parseBotUrl(SETTING, "ws://bot example/"))
                .hasMessageStartingWith("callpulse.tap.bot.url: ")
                .hasMessageEndingWith("Illegal character in authority");
        assertThatThrownBy(() -> TapRoutes.parseBotUrl(SETTING, "ws://bot/agent#x"))
                .hasMessageEndingWith("a WebSocket URL has no fragment");
    }

    @Test
    void theBotSeesTheQueryPlivoSent() {
        URI bot = URI.create("wss://bot.example.com/agent");

        assertThat(TapRoutes.withQueryOf(bot, "/tap?CallUUID=c1&x=a%20b"))
                .isEqualTo(URI.create("wss://bot.example.com/agent?CallUUID=c1&x=a%20b"));
        assertThat(TapRoutes.withQueryOf(URI.create("wss://bot/agent?key=k"), "/tap?a=1"))
                .isEqualTo(URI.create("wss://bot/agent?key=k&a=1"));
        assertThat(TapRoutes.withQueryOf(bot, "/tap")).isSameAs(bot);
    }

    @Test
    void theRecordedUrlKeepsNoCredentials() {
        assertThat(TapRoutes.redacted(URI.create("wss://user:pw@bot.example.com:8443/agent?key=k")))
                .isEqualTo("wss://bot.example.com:8443/agent");
        assertThat(TapRoutes.redacted(URI.create("ws://bot"))).isEqualTo("ws://bot");
    }
}

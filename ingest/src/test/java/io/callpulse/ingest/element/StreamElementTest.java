package io.callpulse.ingest.element;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamElementTest {

    private static final String URL = "wss://callpulse.example.com/stream";

    /**
     * Plivo's own example (the XML element reference), copied as printed except for the whitespace
     * inside the tag: it reads {@code <Stream bidirectional = "true" keepCallAlive="true" >}.
     */
    private static final String PLIVO_EXAMPLE =
            "<Response>\n"
                    + "\t<Stream bidirectional=\"true\" keepCallAlive=\"true\">"
                    + "wss://yourstream.websocket.io/audiostream</Stream>\n"
                    + "</Response>";

    private static StreamElement.Builder element() {
        return StreamElement.builder(URL);
    }

    private static void assertRefused(StreamElement.Builder builder, String message) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rendersPlivosExampleExactly() {
        StreamElement element =
                StreamElement.builder("wss://yourstream.websocket.io/audiostream")
                        .bidirectional(true)
                        .keepCallAlive(true)
                        .build();

        assertThat(element.toResponseXml())
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + PLIVO_EXAMPLE);
        assertThat(element.toXml())
                .isEqualTo(
                        "<Stream bidirectional=\"true\" keepCallAlive=\"true\">"
                                + "wss://yourstream.websocket.io/audiostream</Stream>");
    }

    @Test
    void writesEveryAttributeInTheDocumentedOrderWhateverTheOrderSet() {
        StreamElement element =
                element()
                        .noiseCancellationLevel(70)
                        .noiseCancellation(true)
                        .keepCallAlive(false)
                        .extraHeaders("campaign=spring,agent=42")
                        .contentType(ContentType.MULAW_8000)
                        .statusCallbackMethod(StatusCallbackMethod.GET)
                        .statusCallbackUrl("https://callpulse.example.com/status")
                        .streamTimeout(3600)
                        .audioTrack(AudioTrack.INBOUND)
                        .bidirectional(true)
                        .build();

        assertThat(element.toXml())
                .isEqualTo(
                        "<Stream bidirectional=\"true\" audioTrack=\"inbound\""
                                + " streamTimeout=\"3600\""
                                + " statusCallbackUrl=\"https://callpulse.example.com/status\""
                                + " statusCallbackMethod=\"GET\""
                                + " contentType=\"audio/x-mulaw;rate=8000\""
                                + " extraHeaders=\"campaign=spring,agent=42\""
                                + " keepCallAlive=\"false\" noiseCancellation=\"true\""
                                + " noiseCancellationLevel=\"70\">"
                                + URL
                                + "</Stream>");
        assertThat(element.attributes().keySet())
                .containsExactly(
                        "bidirectional",
                        "audioTrack",
                        "streamTimeout",
                        "statusCallbackUrl",
                        "statusCallbackMethod",
                        "contentType",
                        "extraHeaders",
                        "keepCallAlive",
                        "noiseCancellation",
                        "noiseCancellationLevel");
    }

    @Test
    void theDocumentedJavaExampleGivesTheDocumentedXml() {
        StreamElement element =
                StreamElement.builder("wss://callpulse.example.com/stream")
                        .audioTrack(AudioTrack.BOTH)
                        .contentType(ContentType.MULAW_8000)
                        .statusCallbackUrl("https://callpulse.example.com/status")
                        .statusCallbackMethod(StatusCallbackMethod.POST)
                        .extraHeaders("campaign=spring,agent=42")
                        .build();

        assertThat(element.toResponseXml())
                .isEqualTo(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                + "<Response>\n"
                                + "\t<Stream audioTrack=\"both\""
                                + " statusCallbackUrl=\"https://callpulse.example.com/status\""
                                + " statusCallbackMethod=\"POST\""
                                + " contentType=\"audio/x-mulaw;rate=8000\""
                                + " extraHeaders=\"campaign=spring,agent=42\">"
                                + "wss://callpulse.example.com/stream</Stream>\n"
                                + "</Response>");
    }

    @Test
    void attributesNotSetAreLeftOutSoPlivosDefaultsApply() {
        StreamElement element = element().build();

        assertThat(element.toXml()).isEqualTo("<Stream>" + URL + "</Stream>");
        assertThat(element.attributes()).isEmpty();
    }

    @Test
    void aNullValueUnsetsTheAttribute() {
        StreamElement element =
                element().audioTrack(AudioTrack.BOTH).extraHeaders("a=1").build().toBuilder()
                        .audioTrack((String) null)
                        .build();

        assertThat(element.toXml()).isEqualTo("<Stream extraHeaders=\"a=1\">" + URL + "</Stream>");
    }

    @Test
    void escapesTheUrlTextAndAttributeValues() {
        StreamElement element =
                StreamElement.builder("wss://callpulse.example.com/stream?tenant=7&region=eu")
                        .statusCallbackUrl("https://callpulse.example.com/status?a=1&b=2")
                        .build();

        assertThat(element.toXml())
                .isEqualTo(
                        "<Stream"
                            + " statusCallbackUrl=\"https://callpulse.example.com/status?a=1&amp;b=2\">"
                            + "wss://callpulse.example.com/stream?tenant=7&amp;region=eu</Stream>");
    }

    @Test
    void stringsFromConfigurationGiveTheSameElementAsTheTypedSetters() {
        StreamElement typed =
                element()
                        .bidirectional(false)
                        .audioTrack(AudioTrack.OUTBOUND)
                        .streamTimeout(60)
                        .statusCallbackMethod(StatusCallbackMethod.POST)
                        .contentType(ContentType.L16_16000)
                        .keepCallAlive(true)
                        .noiseCancellation(false)
                        .noiseCancellationLevel(85)
                        .build();
        StreamElement fromStrings =
                element()
                        .bidirectional("false")
                        .audioTrack("outbound")
                        .streamTimeout("60")
                        .statusCallbackMethod("POST")
                        .contentType("audio/x-l16;rate=16000")
                        .keepCallAlive("true")
                        .noiseCancellation("false")
                        .noiseCancellationLevel("85")
                        .build();

        assertThat(fromStrings).isEqualTo(typed).hasSameHashCodeAs(typed);
        assertThat(fromStrings.toXml()).isEqualTo(typed.toXml());
    }

    @Test
    void theEnumsCarryPlivosWireNames() {
        assertThat(AudioTrack.values())
                .extracting(AudioTrack::wireName)
                .containsExactly("inbound", "outbound", "both");
        assertThat(StatusCallbackMethod.values())
                .extracting(StatusCallbackMethod::wireName)
                .containsExactly("GET", "POST");
        assertThat(ContentType.values())
                .extracting(ContentType::wireName)
                .containsExactly(
                        "audio/x-l16;rate=8000",
                        "audio/x-l16;rate=16000",
                        "audio/x-mulaw;rate=8000");
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        String headers512 = "k=" + "v".repeat(510);
        StreamElement element =
                element()
                        .streamTimeout(1)
                        .extraHeaders(headers512)
                        .noiseCancellationLevel(60)
                        .build();

        assertThat(element.attributes())
                .containsEntry("streamTimeout", "1")
                .containsEntry("extraHeaders", headers512)
                .containsEntry("noiseCancellationLevel", "60");
        assertThat(element().noiseCancellationLevel(100).build().attributes())
                .containsEntry("noiseCancellationLevel", "100");
        assertThat(element().streamTimeout(Integer.MAX_VALUE).build().attributes())
                .containsEntry("streamTimeout", "2147483647");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://callpulse.example.com/stream",
                "wss:///stream",
                "callpulse.example.com/stream",
                "wss://callpulse example/stream"
            })
    void theUrlMustBeAWebSocketUrlWithAHost(String url) {
        assertRefused(
                StreamElement.builder(url),
                "url: expected a ws:// or wss:// URL with a host, found " + url);
    }

    @Test
    void theUrlIsRequired() {
        assertRefused(
                StreamElement.builder(null),
                "url: expected a ws:// or wss:// URL with a host, found none");
    }

    @Test
    void aPlainWsUrlIsAccepted() {
        assertThat(StreamElement.builder("ws://127.0.0.1:8080/stream").build().url())
                .isEqualTo("ws://127.0.0.1:8080/stream");
    }

    @Test
    void bidirectionalIsTrueOrFalse() {
        assertRefused(
                element().bidirectional("yes"), "bidirectional: expected true or false, found yes");
    }

    @Test
    void audioTrackIsOneOfThree() {
        assertRefused(
                element().audioTrack("sideways"),
                "audioTrack: expected one of inbound, outbound, both, found sideways");
    }

    @ParameterizedTest
    @ValueSource(strings = {"both", "outbound"})
    void aBidirectionalStreamTakesOnlyTheInboundTrack(String track) {
        assertRefused(
                element().bidirectional(true).audioTrack(track),
                "audioTrack: expected inbound when bidirectional is true, found " + track);
    }

    @Test
    void aBidirectionalStreamMayNameTheInboundTrack() {
        assertThat(element().bidirectional(true).audioTrack(AudioTrack.INBOUND).build().toXml())
                .isEqualTo(
                        "<Stream bidirectional=\"true\" audioTrack=\"inbound\">"
                                + URL
                                + "</Stream>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "abc", "1.5", "+5", "2147483648", ""})
    void streamTimeoutIsAPositiveInteger(String timeout) {
        String found = timeout.isEmpty() ? "found an empty value" : "found " + timeout;
        assertRefused(
                element().streamTimeout(timeout),
                "streamTimeout: expected a positive integer (seconds), " + found);
    }

    @Test
    void streamTimeoutSetAsANegativeNumberIsRefused() {
        assertRefused(
                element().streamTimeout(-1),
                "streamTimeout: expected a positive integer (seconds), found -1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://callpulse.example.com/status", "/status", "https:///status"})
    void statusCallbackUrlIsAnHttpUrlWithAHost(String url) {
        assertRefused(
                element().statusCallbackUrl(url),
                "statusCallbackUrl: expected an http:// or https:// URL with a host, found " + url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "post"})
    void statusCallbackMethodIsGetOrPost(String method) {
        assertRefused(
                element().statusCallbackMethod(method),
                "statusCallbackMethod: expected one of GET, POST, found " + method);
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio/wav", "audio/x-l16;rate=44100", "audio/x-mulaw"})
    void contentTypeIsOneOfThree(String contentType) {
        assertRefused(
                element().contentType(contentType),
                "contentType: expected one of audio/x-l16;rate=8000, audio/x-l16;rate=16000,"
                        + " audio/x-mulaw;rate=8000, found "
                        + contentType);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=1;b=2", "agent-id=42", "agent=4 2", "agent", "a=1,", "=1", "a="})
    void extraHeadersArePairsOfLettersAndDigits(String headers) {
        assertRefused(
                element().extraHeaders(headers),
                "extraHeaders: expected comma-separated key=value pairs of letters and digits"
                        + " only, found "
                        + headers);
    }

    @Test
    void extraHeadersAreAtMost512Bytes() {
        assertRefused(
                element().extraHeaders("k=" + "v".repeat(511)),
                "extraHeaders: expected at most 512 bytes, found 513 bytes");
    }

    @Test
    void keepCallAliveIsTrueOrFalse() {
        assertRefused(
                element().keepCallAlive("1"), "keepCallAlive: expected true or false, found 1");
    }

    @Test
    void noiseCancellationIsTrueOrFalse() {
        assertRefused(
                element().noiseCancellation("on"),
                "noiseCancellation: expected true or false, found on");
    }

    @ParameterizedTest
    @CsvSource({"59", "101", "abc", "0085"})
    void noiseCancellationLevelIsFrom60To100(String level) {
        assertRefused(
                element().noiseCancellationLevel(level),
                "noiseCancellationLevel: expected an integer from 60 to 100, found " + level);
    }

    @Test
    void everyBrokenRuleIsReportedAtOnceInAttributeOrder() {
        assertRefused(
                StreamElement.builder("https://callpulse.example.com/stream")
                        .bidirectional(true)
                        .audioTrack(AudioTrack.BOTH)
                        .streamTimeout(0)
                        .contentType("audio/wav")
                        .noiseCancellationLevel(10),
                "url: expected a ws:// or wss:// URL with a host, found"
                        + " https://callpulse.example.com/stream"
                        + "; audioTrack: expected inbound when bidirectional is true, found both"
                        + "; streamTimeout: expected a positive integer (seconds), found 0"
                        + "; contentType: expected one of audio/x-l16;rate=8000,"
                        + " audio/x-l16;rate=16000, audio/x-mulaw;rate=8000, found audio/wav"
                        + "; noiseCancellationLevel: expected an integer from 60 to 100, found 10");
    }

    @Test
    void anElementIsAValue() {
        StreamElement one = element().audioTrack(AudioTrack.BOTH).build();

        assertThat(one)
                .isEqualTo(element().audioTrack("both").build())
                .isNotEqualTo(element().audioTrack(AudioTrack.INBOUND).build())
                .isNotEqualTo(StreamElement.builder("wss://other.example.com/stream").build());
        assertThat(one.toString()).isEqualTo(one.toXml());
        assertThat(one.toBuilder().build()).isEqualTo(one);
    }
}

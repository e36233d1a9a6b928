package io.callpulse.ingest.element;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.callback.CallbackHttpServer;
import io.callpulse.ingest.callback.StatusCallbacks;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.records.plivo.PlivoSignatureV3;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnswerHandlerTest {

    private static final String TOKEN = "my_auth_token";
    private static final String STREAM_URL = "wss://callpulse.example.com/stream";
    private static final StreamElement TEMPLATE =
            StreamElement.builder(STREAM_URL)
                    .audioTrack(AudioTrack.BOTH)
                    .extraHeaders("campaign=spring")
                    .keepCallAlive(true)
                    .build();
    private static final String CALL =
            "CallUUID=4vbcpem8-0u46-x1ha-9af1-438vc92bf374&From=14849386985"
                    + "&To=sip%3Aagent%40phone.plivo.com&Direction=inbound";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private CallbackHttpServer server;

    private void start(AnswerConfig config, String token) {
        PlivoRequestVerifier verifier = new PlivoRequestVerifier(token, null);
        server =
                CallbackHttpServer.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        new StatusCallbacks(new CollectingSink(), () -> 1L),
                        verifier,
                        () -> true,
                        new IngestMetrics(),
                        null,
                        config == null ? null : new AnswerHandler(config, verifier));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String answerUrl() {
        return "http://127.0.0.1:" + server.port() + "/answer";
    }

    private HttpResponse<String> post(String form, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(answerUrl()))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String query, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(answerUrl() + query))
                        .timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String response(String attributes) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n\t<Stream "
                + attributes
                + ">"
                + STREAM_URL
                + "</Stream>\n</Response>";
    }

    @Test
    void answersAGetWithTheTemplateAsPlivoXml() throws Exception {
        start(new AnswerConfig(TEMPLATE, false), null);

        HttpResponse<String> response = get("", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/xml");
        assertThat(response.body())
                .isEqualTo(
                        response(
                                "audioTrack=\"both\" extraHeaders=\"campaign=spring\""
                                        + " keepCallAlive=\"true\""));
    }

    @Test
    void withoutForwardingTheCallsParametersAreLeftOut() throws Exception {
        start(new AnswerConfig(TEMPLATE, false), null);

        HttpResponse<String> response = post("CallUUID=abc123&From=14849386985", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(TEMPLATE.toResponseXml());
    }

    @Test
    void forwardsOnlyTheCallParametersThatAreLettersAndDigits() throws Exception {
        start(new AnswerConfig(TEMPLATE, true), null);

        HttpResponse<String> response = post(CALL, Map.of());

        // the hyphenated CallUUID and the SIP URI in To are skipped; Direction is never forwarded
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo(
                        response(
                                "audioTrack=\"both\""
                                        + " extraHeaders=\"campaign=spring,From=14849386985\""
                                        + " keepCallAlive=\"true\""));
    }

    @Test
    void forwardsCallUuidFromAndToInThatOrderFromAGetQuery() throws Exception {
        start(new AnswerConfig(StreamElement.builder(STREAM_URL).build(), true), null);

        HttpResponse<String> response =
                get("?To=15555555555&From=15551111111&CallUUID=u1", Map.of());

        assertThat(response.body())
                .isEqualTo(
                        response("extraHeaders=\"CallUUID=u1,From=15551111111,To=15555555555\""));
    }

    @Test
    void aKeyTheTemplateAlreadyHasIsNotForwarded() throws Exception {
        StreamElement template =
                StreamElement.builder(STREAM_URL).extraHeaders("From=desk7").build();
        start(new AnswerConfig(template, true), null);

        HttpResponse<String> response = post("From=14849386985&To=15555555555", Map.of());

        assertThat(response.body())
                .isEqualTo(response("extraHeaders=\"From=desk7,To=15555555555\""));
    }

    @Test
    void aParameterThatWouldPassThe512ByteLimitIsNotForwarded() throws Exception {
        String configured = "k=" + "v".repeat(495); // 497 bytes
        StreamElement template = StreamElement.builder(STREAM_URL).extraHeaders(configured).build();
        start(new AnswerConfig(template, true), null);

        // ",From=14849386985" would make 514 bytes; ",To=1234567" makes 508
        HttpResponse<String> response = post("From=14849386985&To=1234567", Map.of());

        assertThat(response.body())
                .isEqualTo(response("extraHeaders=\"" + configured + ",To=1234567\""));
    }

    @Test
    void methodsOtherThanGetAndPostAreRefused() throws Exception {
        start(new AnswerConfig(TEMPLATE, false), null);

        HttpResponse<String> put =
                http.send(
                        HttpRequest.newBuilder(URI.create(answerUrl()))
                                .PUT(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.body()).isEqualTo("method: expected GET or POST\n");
    }

    @Test
    void withATokenAnUnsignedRequestIsRefused() throws Exception {
        start(new AnswerConfig(TEMPLATE, true), TOKEN);

        HttpResponse<String> unsigned = post(CALL, Map.of());
        HttpResponse<String> wronglySigned =
                post(
                        CALL,
                        Map.of(
                                PlivoRequestVerifier.SIGNATURE, "bm90IGl0",
                                PlivoRequestVerifier.NONCE, "12345"));

        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).isEqualTo("signature: X-Plivo-Signature-V3 missing or wrong\n");
        assertThat(wronglySigned.statusCode()).isEqualTo(403);
    }

    @Test
    void withATokenASignedPostIsAnswered() throws Exception {
        start(new AnswerConfig(TEMPLATE, true), TOKEN);
        String signature =
                PlivoSignatureV3.compute(
                        TOKEN, "POST", answerUrl(), PlivoSignatureV3.parseQuery(CALL), "12345");

        HttpResponse<String> response =
                post(
                        CALL,
                        Map.of(
                                PlivoRequestVerifier.SIGNATURE,
                                signature,
                                PlivoRequestVerifier.NONCE,
                                "12345"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo(
                        response(
                                "audioTrack=\"both\""
                                        + " extraHeaders=\"campaign=spring,From=14849386985\""
                                        + " keepCallAlive=\"true\""));
    }

    @Test
    void withATokenASignedGetIsAnswered() throws Exception {
        start(new AnswerConfig(TEMPLATE, false), TOKEN);
        String query = "?CallUUID=u1&From=15551111111";
        String signature =
                PlivoSignatureV3.compute(TOKEN, "GET", answerUrl() + query, Map.of(), "nonce7");

        HttpResponse<String> response =
                get(
                        query,
                        Map.of(
                                PlivoRequestVerifier.MAIN_ACCOUNT_SIGNATURE,
                                signature,
                                PlivoRequestVerifier.NONCE,
                                "nonce7"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(TEMPLATE.toResponseXml());
    }

    @Test
    void withoutAnAnswerConfigThereIsNoAnswerUrl() throws Exception {
        start(null, null);

        assertThat(get("", Map.of()).statusCode()).isEqualTo(404);
    }
}

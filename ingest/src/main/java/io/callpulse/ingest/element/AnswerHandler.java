package io.callpulse.ingest.element;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.callpulse.ingest.callback.PlivoHttpRequest;
import io.callpulse.ingest.plivo.ExtraHeaders;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plivo's answer URL: Plivo fetches it (GET, or POST with a form) when a call comes in and runs the
 * XML returned, here the configured {@code <Stream>} element inside {@code <Response>}.
 *
 * <p>With an auth token set, a request not signed by Plivo is refused with 403, as a status
 * callback is: the answer would hand the stream URL and its extraHeaders to anyone who asked.
 *
 * <p>With {@link AnswerConfig#forwardCallParameters()}, the request's {@code CallUUID}, {@code
 * From} and {@code To}, in that order, join the template's extraHeaders under those names. Each is
 * skipped when its value is not letters and digits only (Plivo allows nothing else there), when the
 * template already has that key, or when it would take extraHeaders past 512 bytes. In practice a
 * hyphenated {@code CallUUID}, a {@code +} number and a SIP URI are skipped, and a plain number
 * such as {@code 14849386985} is added. The stream's {@code start} message carries the call's UUID
 * in any case.
 */
public final class AnswerHandler implements HttpHandler {

    public static final List<String> CALL_PARAMETERS = List.of("CallUUID", "From", "To");

    private static final Logger LOG = LoggerFactory.getLogger(AnswerHandler.class);

    private final AnswerConfig config;
    private final PlivoRequestVerifier verifier;

    public AnswerHandler(AnswerConfig config, PlivoRequestVerifier verifier) {
        this.config = config;
        this.verifier = verifier;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<PlivoHttpRequest> read = PlivoHttpRequest.read(exchange);
            if (read.isEmpty()) {
                return;
            }
            PlivoHttpRequest request = read.get();
            if (!request.signedBy(verifier)) {
                LOG.warn("refused an answer request without a valid Plivo signature");
                PlivoHttpRequest.respond(
                        exchange, 403, PlivoHttpRequest.TEXT, PlivoHttpRequest.UNSIGNED);
                return;
            }
            StreamElement element =
                    config.forwardCallParameters()
                            ? withCallParameters(config.template(), request.params())
                            : config.template();
            PlivoHttpRequest.respond(exchange, 200, "application/xml", element.toResponseXml());
        }
    }

    /** The template with those of the call's parameters that may join its extraHeaders. */
    static StreamElement withCallParameters(
            StreamElement template, Map<String, List<String>> params) {
        String configured = template.attribute(StreamElement.Attribute.EXTRA_HEADERS);
        Set<String> taken = ExtraHeaders.parse(configured).keySet();
        StringBuilder headers = new StringBuilder(configured == null ? "" : configured);
        for (String name : CALL_PARAMETERS) {
            List<String> values = params.get(name);
            if (values == null || values.isEmpty() || taken.contains(name)) {
                continue;
            }
            String value = values.get(0);
            String pair = (headers.length() == 0 ? "" : ",") + name + "=" + value;
            // letters and digits only: a character is a byte
            if (StreamElement.isLettersAndDigits(value)
                    && headers.length() + pair.length() <= StreamElement.MAX_EXTRA_HEADERS_BYTES) {
                headers.append(pair);
            }
        }
        return headers.isEmpty()
                ? template
                : template.toBuilder().extraHeaders(headers.toString()).build();
    }
}

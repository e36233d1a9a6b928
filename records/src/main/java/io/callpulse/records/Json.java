package io.callpulse.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON configuration for every record callpulse writes or reads. */
public final class Json {

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    // readers of our topics must survive fields added by newer writers
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .serializationInclusion(JsonInclude.Include.NON_NULL)
                    .build();

    private Json() {}

    /** Thread-safe once configured, as Jackson's mappers are. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

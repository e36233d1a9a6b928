package io.callpulse.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrackTest {

    @Test
    void wireNamesAndCodesAreFixed() {
        assertThat(Track.fromWireName("inbound")).isEqualTo(Track.INBOUND);
        assertThat(Track.fromWireName("Outbound")).isEqualTo(Track.OUTBOUND);
        assertThat(Track.INBOUND.wireCode()).isEqualTo((byte) 1);
        assertThat(Track.OUTBOUND.wireCode()).isEqualTo((byte) 2);
        assertThat(Track.fromWireCode((byte) 2)).isEqualTo(Track.OUTBOUND);
    }

    @Test
    void refusesUnknownNames() {
        assertThatThrownBy(() -> Track.fromWireName("both"))
                .hasMessage("track 'both' is not known; expected inbound or outbound");
    }
}

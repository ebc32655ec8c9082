package io.assignmentworker.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainAsciiTest {

    @Test
    void takesAsciiTextWithoutNul() {
        assertThat(PlainAscii.is("{\"requestId\":\"r-1\",\"x\":[1, 2]}\t\n".getBytes(StandardCharsets.US_ASCII)))
                .isTrue();
        assertThat(PlainAscii.is(new byte[0])).isTrue();
    }

    @Test
    void refusesNulAndEveryByteBeyondAscii() {
        assertThat(PlainAscii.is("{}".getBytes(StandardCharsets.UTF_16LE))).isFalse();
        assertThat(PlainAscii.is("\uFEFF{}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(PlainAscii.is("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(PlainAscii.is(new byte[] {'{', (byte) 0xFF, '}'})).isFalse();
    }
}

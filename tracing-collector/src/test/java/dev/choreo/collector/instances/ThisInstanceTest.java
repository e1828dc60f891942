package dev.choreo.collector.instances;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The URL is read back from the client id whatever suffix Spring Kafka appended to it. */
class ThisInstanceTest {

    @Test
    void readsTheAdvertisedUrlBackFromAConsumersClientId() {
        assertThat(ThisInstance.urlOf("tracing-collector|http://collector-1:8086|-0")).contains("http://collector-1:8086");
        assertThat(ThisInstance.urlOf("tracing-collector|https://[::1]:8443/collector|-12"))
                .contains("https://[::1]:8443/collector");
        assertThat(ThisInstance.urlOf("tracing-collector|http://host-1|")).contains("http://host-1");
    }

    @Test
    void aConsumerThatAdvertisesNoUrlHasNone() {
        assertThat(ThisInstance.urlOf("consumer-tracing-collector-1")).isEmpty();
        assertThat(ThisInstance.urlOf("tracing-collector|")).isEmpty();
        assertThat(ThisInstance.urlOf(null)).isEmpty();
    }
}

package dev.choreo.messaging.kafka;

import dev.choreo.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.MDC;
import org.springframework.kafka.listener.RecordInterceptor;

/** Puts the record's correlation id in the logging context while it is handled, so every log line names it. */
class CorrelationRecordInterceptor implements RecordInterceptor<Object, Object> {

    static final String MDC_KEY = "correlationId";

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
            Consumer<Object, Object> consumer) {
        Header header = record.headers().lastHeader(EventHeaders.CORRELATION_ID);
        if (header != null) {
            MDC.put(MDC_KEY, new String(header.value(), StandardCharsets.UTF_8));
        }
        return record;
    }

    @Override
    public void afterRecord(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        MDC.remove(MDC_KEY);
    }
}

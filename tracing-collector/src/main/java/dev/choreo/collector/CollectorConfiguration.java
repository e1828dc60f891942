package dev.choreo.collector;

import dev.choreo.collector.flow.ChoreographyMap;
import dev.choreo.collector.flow.Flow;
import dev.choreo.collector.flow.FlowProperties;
import dev.choreo.collector.flow.Vocabulary;
import dev.choreo.collector.ingest.AppendClock;
import dev.choreo.collector.ingest.EnvelopeProperties;
import dev.choreo.collector.ingest.RecordDecoder;
import dev.choreo.collector.lag.OffsetTimes;
import dev.choreo.collector.metrics.CollectorMetrics;
import dev.choreo.collector.metrics.ProcessGauges;
import dev.choreo.collector.process.DeadlineTimer;
import dev.choreo.collector.process.ProcessStore;
import dev.choreo.collector.process.Settings;
import dev.choreo.collector.process.TimeoutHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/** Wires the process model, its timer, metrics and the Kafka producer the operator actions use. */
@Configuration(proxyBeanMethods = false)
class CollectorConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Flow flow(FlowProperties properties) {
        return new Flow(properties, new Vocabulary());
    }

    @Bean
    ChoreographyMap choreographyMap(Flow flow) {
        return new ChoreographyMap(flow.vocabulary());
    }

    @Bean
    CollectorMetrics collectorMetrics(MeterRegistry registry, Flow flow) {
        return new CollectorMetrics(registry, flow);
    }

    @Bean
    ProcessStore processStore(Flow flow, CollectorProperties properties, ChoreographyMap choreographyMap,
            CollectorMetrics metrics, TimeoutHandler timeouts, Clock clock) {
        Settings settings = new Settings(properties.maxTimelineEntries(), properties.historySize(),
                properties.tick(), properties.autoCancel().enabled() ? properties.autoCancel().after() : null,
                properties.maxOpenProcesses(), properties.maxOpenAge(), properties.maxDeadLetterProcesses(),
                List.copyOf(properties.search().fields().keySet()), properties.search().maxPerValue());
        return new ProcessStore(flow, settings, choreographyMap, metrics, timeouts, clock);
    }

    @Bean
    DeadlineTimer deadlineTimer(ProcessStore store, CollectorProperties properties) {
        return new DeadlineTimer(store, properties.tick());
    }

    @Bean
    ProcessGauges processGauges(ProcessStore store, Flow flow, MeterRegistry registry) {
        return new ProcessGauges(store, flow, registry);
    }

    @Bean
    AppendClock appendClock() {
        return new AppendClock();
    }

    @Bean
    OffsetTimes offsetTimes(CollectorProperties properties) {
        return new OffsetTimes(properties.lag().offsetsPerPartition());
    }

    @Bean
    RecordDecoder recordDecoder(Flow flow, CollectorProperties properties, EnvelopeProperties envelope) {
        return new RecordDecoder(flow, properties.search().fields(), envelope);
    }

    /** Keys and values are passed through as bytes: a re-drive re-publishes the original record unchanged. */
    @Bean
    @SuppressWarnings("unchecked")
    KafkaTemplate<byte[], byte[]> kafkaTemplate(ProducerFactory<?, ?> producerFactory) {
        return new KafkaTemplate<>((ProducerFactory<byte[], byte[]>) producerFactory);
    }
}

package dev.choreo.messaging.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Carries the W3C trace context across the outbox and the batch listener, so one order stays one trace although
 * its events are sent by the relay thread, later, and handled many to a poll.
 *
 * <p>Through the OpenTelemetry API only: with the Java agent attached the API is bridged to the agent and spans
 * are real; without it every call is a no-op that costs next to nothing.
 */
public final class TraceContext {

    /** The W3C headers; the relay takes them off the record and lets the agent write its own. */
    public static final Set<String> HEADERS = Set.of("traceparent", "tracestate");

    private static final TextMapGetter<Iterable<Header>> HEADER_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Iterable<Header> carrier) {
            List<String> keys = new ArrayList<>();
            carrier.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Iterable<Header> carrier, String key) {
            String value = null;
            for (Header header : carrier) {
                if (header.key().equals(key) && header.value() != null) {
                    value = new String(header.value(), StandardCharsets.UTF_8);
                }
            }
            return value;
        }
    };

    private static final AttributeKey<List<String>> CORRELATION_ID =
            AttributeKey.stringArrayKey("messaging.header.correlationId");

    private TraceContext() {
    }

    /** Adds the current trace context to {@code headers} (nothing when no trace is active). */
    public static void captureInto(List<Header> headers) {
        propagator().inject(Context.current(), headers,
                (carrier, key, value) -> carrier.add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8))));
    }

    /** Makes the trace context stored in {@code headers} current, e.g. while the relay sends the record. */
    public static Scope restoreFrom(Iterable<Header> headers) {
        return propagator().extract(Context.root(), headers, HEADER_GETTER).makeCurrent();
    }

    /**
     * The current trace context as a W3C {@code traceparent} value, for work recorded now and done later by another
     * thread (see {@code PendingWorkRunner}); null when no trace is active.
     */
    public static String currentTraceparent() {
        List<Header> headers = new ArrayList<>(2);
        captureInto(headers);
        return headers.stream().filter(h -> h.key().equals("traceparent")).findFirst()
                .map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse(null);
    }

    /** Makes the trace of a {@link #currentTraceparent()} value current again (the root context for null). */
    public static Scope restore(String traceparent) {
        return traceparent == null
                ? Context.root().makeCurrent()
                : restoreFrom(List.of(new RecordHeader("traceparent", traceparent.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * Starts a consumer span for one record, child of the trace in its headers, and makes it current while the
     * record is handled; close the returned scope when done. The correlation id is an attribute, named as the agent
     * names captured headers, so a trace backend finds every span of one order.
     */
    public static HandlingSpan startHandling(String name, Headers headers, String correlationId) {
        Context parent = propagator().extract(Context.root(), headers, HEADER_GETTER);
        Span span = tracer().spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(CORRELATION_ID, List.of(correlationId)).startSpan();
        return new HandlingSpan(span, span.storeInContext(parent).makeCurrent());
    }

    private static TextMapPropagator propagator() {
        return GlobalOpenTelemetry.getPropagators().getTextMapPropagator();
    }

    private static Tracer tracer() {
        return GlobalOpenTelemetry.getTracer("dev.choreo.messaging");
    }

    /** A record's handling span, current until closed. */
    public record HandlingSpan(Span span, Scope scope) implements AutoCloseable {

        public void failed(Throwable failure) {
            span.recordException(failure);
        }

        @Override
        public void close() {
            scope.close();
            span.end();
        }
    }
}

package dev.eventsource.opentelemetry;

import dev.eventsource.AggregateRoot;
import dev.eventsource.CommandCall;
import dev.eventsource.CommandContext;
import dev.eventsource.CommandInterceptor;
import dev.eventsource.CommandResult;
import dev.eventsource.CommandValidationException;
import dev.eventsource.Engine;
import dev.eventsource.EngineObserver;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.StoredEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * OpenTelemetry tracing of an {@link Engine}: a span per command, current while it runs, whose W3C
 * trace context ({@code traceparent}, {@code tracestate}) is added to the command's headers and so
 * stored in each event's metadata; and a span per asynchronous projection batch, current while the
 * batch is handled (a reaction's commands are its children), linked to each distinct command span
 * whose context its events carry. Span names and attributes are listed in
 * {@code docs/observability.md}.
 *
 * <pre>{@code
 * import io.opentelemetry.api.GlobalOpenTelemetry;
 *
 * EventsourceTracing tracing = new EventsourceTracing(GlobalOpenTelemetry.get());
 * Engine engine = Engine.builder().commandInterceptor(tracing).observer(tracing).build();
 * }</pre>
 *
 * <p>Threading: stateless but for the tracer; called on command threads and partition workers at
 * once. A batch span's scope is closed in {@link Batch#end}, which the engine calls on the thread that
 * began the batch.
 */
public final class EventsourceTracing implements CommandInterceptor, EngineObserver {

    /** The instrumentation scope name of the spans. */
    public static final String INSTRUMENTATION_NAME = "dev.eventsource";

    /** The most links one projection batch span gets (one per distinct command span). */
    public static final int MAX_LINKS = 128;

    static final String STREAM_TYPE = "eventsource.stream.type";
    static final String AGGREGATE_ID = "eventsource.aggregate.id";
    static final String COMMAND = "eventsource.command";
    static final String VERSION = "eventsource.aggregate.version";
    static final String EVENT_COUNT = "eventsource.event.count";
    static final String OUTCOME = "eventsource.outcome";
    static final String PROJECTION = "eventsource.projection";
    static final String PARTITION = "eventsource.partition";
    static final String FIRST_POSITION = "eventsource.position.first";
    static final String LAST_POSITION = "eventsource.position.last";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Map<String, String>> METADATA = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    /** Spans from {@code openTelemetry}'s tracer named {@value #INSTRUMENTATION_NAME}. */
    public EventsourceTracing(OpenTelemetry openTelemetry) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(INSTRUMENTATION_NAME);
    }

    @Override
    public <A extends AggregateRoot> CommandResult<A> intercept(CommandCall<A> call) {
        Span span = tracer.spanBuilder(call.streamType() + " command").setSpanKind(SpanKind.INTERNAL)
                .setAttribute(STREAM_TYPE, call.streamType())
                .setAttribute(AGGREGATE_ID, call.aggregateId())
                .setAttribute(COMMAND, call.command().getClass().getSimpleName())
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            Map<String, String> headers = new LinkedHashMap<>();
            W3C.inject(Context.current(), headers, Map::put);
            CommandContext context = call.context();
            for (Map.Entry<String, String> h : headers.entrySet()) {
                context = context.withHeader(h.getKey(), h.getValue());
            }
            CommandResult<A> result = call.proceed(context);
            span.setAttribute(VERSION, result.aggregate().version());
            span.setAttribute(EVENT_COUNT, result.events().size());
            span.setAttribute(OUTCOME, result.duplicate() ? "duplicate" : "ok");
            return result;
        } catch (Throwable failure) {
            span.setAttribute(OUTCOME, failure instanceof CommandValidationException ? "rejected"
                    : failure instanceof ConcurrencyException ? "conflict" : "failed");
            failed(span, failure);
            throw failure;
        } finally {
            span.end();
        }
    }

    @Override
    public Batch projectionBatch(String projection, int partition, List<StoredEvent> events) {
        SpanBuilder builder = tracer.spanBuilder(projection + " batch").setSpanKind(SpanKind.INTERNAL).setNoParent()
                .setAttribute(PROJECTION, projection)
                .setAttribute(PARTITION, partition)
                .setAttribute(EVENT_COUNT, events.size());
        if (!events.isEmpty()) {
            builder.setAttribute(FIRST_POSITION, events.get(0).globalPosition())
                    .setAttribute(LAST_POSITION, events.get(events.size() - 1).globalPosition());
        }
        Set<SpanContext> linked = new HashSet<>();
        for (StoredEvent event : events) {
            if (linked.size() == MAX_LINKS) {
                break;
            }
            SpanContext command = Span.fromContext(W3C.extract(Context.root(), event.metadata(), METADATA))
                    .getSpanContext();
            if (command.isValid() && linked.add(command)) {
                builder.addLink(command);
            }
        }
        Span span = builder.startSpan();
        Scope scope = span.makeCurrent();
        return failure -> {
            try {
                if (failure != null) {
                    failed(span, failure);
                }
            } finally {
                scope.close();
                span.end();
            }
        };
    }

    private static void failed(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }
}

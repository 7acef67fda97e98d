package dev.eventsource.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.eventsource.internal.Descriptors;
import dev.eventsource.internal.Json;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.order.OrderLineAdded;
import dev.eventsource.spi.EventCodec;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Event serialization: the processor-generated streaming codec of {@link OrderLineAdded}, called the
 * way the engine calls it ({@code Json.encode}/{@code Json.decode}), against Jackson databind with a
 * pre-built {@link ObjectWriter}/{@link ObjectReader} for the record (databind's fastest usual form).
 * Both produce and accept the same JSON.
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar CodecBenchmark
 * }</pre>
 */
@State(Scope.Thread)
public class CodecBenchmark {

    /** {@value RatioTable#OURS} (generated codec) or {@code jackson-databind}. */
    @Param({RatioTable.OURS, "jackson-databind"})
    public String impl;

    private final OrderLineAdded event = new OrderLineAdded("order_000042", "sku-123", 3, 12.34);
    private EventCodec<?> codec;
    private ObjectWriter writer;
    private ObjectReader reader;
    private byte[] json;
    private boolean ours;

    /** Looks up the generated codec and builds the databind reader and writer. */
    @Setup
    public void setUp() throws IOException {
        ours = RatioTable.OURS.equals(impl);
        codec = Descriptors.aggregate(Order.class).codecOf(event);
        ObjectMapper mapper = new ObjectMapper();
        writer = mapper.writerFor(OrderLineAdded.class);
        reader = mapper.readerFor(OrderLineAdded.class);
        json = Json.encode(codec, event);
        if (!reader.readValue(json).equals(event) || !Json.decode(codec, writer.writeValueAsBytes(event), codec.version()).equals(event)) {
            throw new IllegalStateException("the two codecs do not agree on " + event);
        }
    }

    /** Event to JSON bytes. */
    @Benchmark
    public byte[] encode() throws IOException {
        return ours ? Json.encode(codec, event) : writer.writeValueAsBytes(event);
    }

    /** JSON bytes to event. */
    @Benchmark
    public Object decode() throws IOException {
        return ours ? Json.decode(codec, json, codec.version()) : reader.readValue(json);
    }
}

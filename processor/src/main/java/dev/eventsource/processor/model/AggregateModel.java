package dev.eventsource.processor.model;

import java.util.List;
import javax.lang.model.element.Element;

/**
 * Everything the writer needs to generate {@code <Aggregate>_Aggregate}.
 *
 * @param type the aggregate class
 * @param descriptor the generated descriptor class
 * @param streamType stable stream type name
 * @param snapshotEvery {@code @Aggregate(snapshotEvery)}
 * @param handlers dispatcher branches, most specific type first
 * @param events every event type the aggregate applies, sorted by stable name
 * @param snapshot the snapshot state, or {@code null} when snapshots are off
 * @param codecs every type whose codec the descriptor uses, directly or through nested fields
 *     (events and nested value types), sorted by qualified name
 * @param originating the source elements the generated file depends on
 */
public record AggregateModel(
        ClassRef type,
        ClassRef descriptor,
        String streamType,
        int snapshotEvery,
        List<HandlerModel> handlers,
        List<EventModel> events,
        SnapshotModel snapshot,
        List<EventModel> codecs,
        List<Element> originating) {

    public AggregateModel {
        handlers = List.copyOf(handlers);
        events = List.copyOf(events);
        codecs = List.copyOf(codecs);
        originating = List.copyOf(originating);
    }

    /** Whether any {@code @Apply} method takes an envelope. */
    public boolean needsEnvelope() {
        return handlers.stream().anyMatch(HandlerModel::takesEnvelope);
    }
}

package dev.eventsource.processor.model;

import java.util.List;
import javax.lang.model.element.Element;

/**
 * Everything the writer needs to generate {@code <Projection>_Projection}.
 *
 * @param type the projection class
 * @param descriptor the generated descriptor class
 * @param name stable projection name
 * @param handlers dispatcher branches, most specific type first
 * @param events every event type the projection handles, sorted by stable name
 * @param codecs every type whose codec the descriptor uses, directly or through nested fields
 *     (events and nested value types), sorted by qualified name
 * @param originating the source elements the generated file depends on
 */
public record ProjectionModel(
        ClassRef type,
        ClassRef descriptor,
        String name,
        List<HandlerModel> handlers,
        List<EventModel> events,
        List<EventModel> codecs,
        List<Element> originating) {

    public ProjectionModel {
        handlers = List.copyOf(handlers);
        events = List.copyOf(events);
        codecs = List.copyOf(codecs);
        originating = List.copyOf(originating);
    }
}

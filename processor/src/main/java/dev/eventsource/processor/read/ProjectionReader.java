package dev.eventsource.processor.read;

import dev.eventsource.processor.model.ClassRef;
import dev.eventsource.processor.model.EventModel;
import dev.eventsource.processor.model.ProjectionModel;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/** Reads a {@code @Projection} class into a {@link ProjectionModel}, reporting what is wrong with it. */
public final class ProjectionReader {

    private final TypeReader typeReader;
    private final HandlerReader handlerReader;
    private final AggregateReader names;
    private final Reporter reporter;

    public ProjectionReader(TypeReader typeReader, AggregateReader names, EventVersions versions, Reporter reporter) {
        this.typeReader = typeReader;
        this.handlerReader = new HandlerReader(typeReader, versions, reporter);
        this.names = names;
        this.reporter = reporter;
    }

    /**
     * The model, or {@code null} when the projection is broken (errors reported).
     *
     * @throws TypeNotReadyException when it refers to a type that does not exist yet
     */
    public ProjectionModel read(TypeElement type) {
        int errorsBefore = reporter.errorCount();
        if (type.getKind() != ElementKind.CLASS) {
            reporter.report(Message.PROJECTION_NOT_CLASS, type, type.getQualifiedName(), AggregateReader.kindName(type));
            return null;
        }
        ClassRef className = TypeReader.classRef(type);
        if (!typeReader.checkNotPrivate(type, className.packageName())) {
            return null;
        }
        AnnotationMirror annotation = Annotations.find(type, Annotations.PROJECTION);
        String name = names.name(type, annotation, "Projection");
        HandlerReader.Handlers handlers = handlerReader.read(type, false);
        if (handlers.count() == 0) {
            reporter.report(Message.PROJECTION_NO_APPLY, type, type.getQualifiedName());
        }
        List<EventModel> reachable = typeReader.reachable(handlers.events(), List.of());
        if (!handlers.ok() || reachable == null || reporter.errorCount() != errorsBefore) {
            return null;
        }
        return new ProjectionModel(className, AggregateReader.descriptorName(className, "_Projection"), name,
                handlers.dispatch(), handlers.events(), reachable, TypeReader.originating(type, reachable));
    }
}

package dev.eventsource.processor.read;

import javax.tools.Diagnostic;

/**
 * Every diagnostic the processor reports, in one place. Each message starts with a stable id in
 * brackets, says what is wrong and how to fix it; tests and docs/processor.md refer to the ids.
 */
public enum Message {
    APPLY_ARITY("ApplyArity",
            "@Apply method %s takes %d parameters; it must take the event, optionally followed by an"
                    + " EventEnvelope<event type> for the event's metadata"),
    APPLY_ENVELOPE("ApplyEnvelope",
            "the second parameter of @Apply method %s is %s; it must be EventEnvelope<%s>, or remove it"),
    APPLY_DUPLICATE("ApplyDuplicate",
            "@Apply method %s handles %s, which @Apply method %s already handles; keep one @Apply method"
                    + " per event type"),
    APPLY_PRIVATE("ApplyPrivate",
            "@Apply method %s is private, so the generated dispatcher cannot call it; make it"
                    + " package-private"),
    APPLY_STATIC("ApplyStatic",
            "@Apply method %s is static; make it an instance method that changes this object's state"),
    APPLY_THROWS("ApplyThrows",
            "@Apply method %s declares the checked exception %s, which the generated dispatcher cannot pass on"
                    + " (applying an event cannot fail with a checked exception); handle it inside the method, or"
                    + " throw an unchecked exception instead"),
    APPLY_OUTSIDE("ApplyOutside",
            "@Apply method %s is in %s, which is neither an @Aggregate nor a @Projection; annotate the"
                    + " class, or move the method into one (inherited @Apply methods are not used)"),
    AGGREGATE_NOT_CLASS("AggregateNotClass",
            "@Aggregate is on %s, which is %s; put it on a class that extends dev.eventsource.AggregateRoot"),
    AGGREGATE_ABSTRACT("AggregateAbstract",
            "@Aggregate class %s is abstract, so the generated factory cannot create it; make it concrete"
                    + " (an abstract base class needs no annotation)"),
    AGGREGATE_CONSTRUCTOR("AggregateConstructor",
            "@Aggregate class %s has no accessible no-arg constructor, so the generated factory cannot"
                    + " create it; add a public or package-private no-arg constructor%s"),
    AGGREGATE_BASE("AggregateBase",
            "@Aggregate class %s does not extend dev.eventsource.AggregateRoot; extend it (it holds the"
                    + " version and the recorded events)"),
    PROJECTION_NOT_CLASS("ProjectionNotClass",
            "@Projection is on %s, which is %s; put it on a class"),
    PROJECTION_NO_APPLY("ProjectionNoApply",
            "@Projection class %s has no @Apply methods, so it would never see an event; add an @Apply"
                    + " method per event type it handles"),
    TYPE_PRIVATE("TypePrivate",
            "%s is private, so generated code in package %s cannot use it; make it package-private or"
                    + " public"),
    BLANK_NAME("BlankName",
            "@%s(name = \"%s\") on %s is blank; give a non-blank name, or remove it to use the simple"
                    + " class name"),
    SNAPSHOT_EVERY("SnapshotEvery",
            "@Aggregate(snapshotEvery = %d) on %s is negative; use 0 for the engine's default, a positive"
                    + " number of events, or Aggregate.NO_SNAPSHOTS"),
    SNAPSHOT_VERSION("SnapshotVersion",
            "@Aggregate(snapshotVersion = %d) on %s is less than 1; versions start at 1 (bump it when logic"
                    + " outside the @Apply methods that builds the state changes)"),
    SNAPSHOT_LOGIC_UNHASHED("SnapshotLogicUnhashed", Diagnostic.Kind.NOTE,
            "this compiler offers no javac Trees API (%s), so the snapshot fingerprints of %s and of every"
                    + " other aggregate of this compilation cover the state fields and @Aggregate(snapshotVersion)"
                    + " only, not the @Apply method bodies; bump snapshotVersion when @Apply logic changes, or"
                    + " compile with javac"),
    EVENT_TYPE_VERSION("EventTypeVersion",
            "@EventType(version = %d) on %s is less than 1; versions start at 1"),
    BLANK_ALIAS("BlankAlias",
            "@EventType(aliases = \"%s\") on %s is blank; write the name the events were stored under, or"
                    + " remove it"),
    ALIAS_IS_NAME("AliasIsName",
            "@EventType(aliases = \"%s\") on %s repeats the type's own stable name, which always decodes as"
                    + " this type; remove the alias"),
    DUPLICATE_ALIAS("DuplicateAlias",
            "@EventType(aliases = \"%s\") on %s is listed twice; remove one"),
    EVENT_NOT_VALUE_TYPE("EventNotValueType",
            "%s cannot be an event or value type: %s; make it a record (or a final class whose"
                    + " constructor takes all its final fields in declaration order)"),
    EVENT_GENERIC("EventGeneric",
            "%s has type parameters, but a generated codec needs one concrete type; remove the type"
                    + " parameters"),
    UNSUPPORTED_FIELD_TYPE("UnsupportedFieldType",
            "field %s of %s has type %s, which the generated JSON codec cannot read and write; use "
                    + Message.SUPPORTED),
    SEALED_DISCRIMINATOR_CLASH("SealedDiscriminatorClash",
            "field %s of %s has type %s, whose permitted subtypes %s and %s are both written under the"
                    + " discriminator \"%s\", so a stored value could read as either; give one of them another"
                    + " name with @EventType(name = \"...\")"),
    SEALED_FIELD_SUBTYPE("SealedFieldSubtype",
            "field %s of %s has type %s, a sealed interface written as {\"<subtype>\": {...}}, but its"
                    + " permitted subtype %s %s, so no codec can read it; make every permitted subtype a record"
                    + " or final class"),
    DUPLICATE_EVENT_NAME("DuplicateEventName",
            "%s and %s both decode the stored event name \"%s\" in %s; give one of them another name with"
                    + " @EventType(name = \"...\"), or remove the alias"),
    EVENT_TYPE_NAME_CLASH("EventTypeNameClash",
            "%s (version %d) uses the stored event name \"%s\" as its %s, but %s (version %d) already uses it"
                    + " as its %s in this compilation, so a stored event of that name could decode as either; give"
                    + " one of them a distinct name with @EventType(name = \"...\"), or remove the alias%s"),
    UPCAST_SIGNATURE("UpcastSignature",
            "@Upcast method %s %s; declare it as a static, non-private method taking the version N record"
                    + " of an event and returning its version N+1 record: @Upcast static Next up(Previous event)"),
    UPCAST_ACCESS("UpcastAccess",
            "%s is not public, so the codec generated for %s in package %s cannot use it to read old events;"
                    + " make it public, or move it into package %s"),
    UPCAST_ACROSS_NAMES("UpcastAcrossNames",
            "@Upcast method %s turns \"%s\" (%s) into \"%s\" (%s), another event name; an upcaster goes from"
                    + " version N to N+1 of one stable name. To rename an event type, give the new class"
                    + " @EventType(aliases = \"%s\") instead"),
    UPCAST_NOT_CONSECUTIVE("UpcastNotConsecutive",
            "@Upcast method %s turns version %d of \"%s\" into version %d; it must return version %d, the"
                    + " next one (chain two upcasters to skip a version)%s"),
    UPCAST_DUPLICATE("UpcastDuplicate",
            "@Upcast method %s upcasts version %d of \"%s\", which @Upcast method %s upcasts already; keep one"
                    + " upcaster per version"),
    UPCAST_MISSING("UpcastMissing",
            "%s is version %d of \"%s\", an older version than the current %d (%s), but no @Upcast method turns"
                    + " it into version %d, so stored events of version %d cannot be read; add one, e.g. in %s:"
                    + " @Upcast static %s up(%s event) { ... }%s"),
    APPLY_LEGACY_VERSION("ApplyLegacyVersion",
            "@Apply method %s handles %s, version %d of \"%s\", which is a legacy version: stored events of"
                    + " that version are upcast to the current version %d (%s) before any @Apply method sees"
                    + " them; handle %s instead%s"),
    SEALED_NOT_COVERED("SealedNotCovered", Diagnostic.Kind.WARNING,
            "%s handles %s but not %s, another permitted subtype of sealed %s, so applying one fails with"
                    + " UnknownEventException; add an @Apply method for %s or for %s"),
    SEALED_OPEN_SUBTYPE("SealedOpenSubtype", Diagnostic.Kind.WARNING,
            "%s, a permitted subtype of sealed %s, is not a record or final class, so its events get no"
                    + " codec and cannot be stored; make it a record, final or sealed"),
    PRIVATE_STATE_FIELD("PrivateStateField",
            "state field %s of %s is private, so the generated snapshot codec cannot read or write it;"
                    + " make it package-private, mark it transient, or turn snapshots off with"
                    + " @Aggregate(snapshotEvery = Aggregate.NO_SNAPSHOTS)"),
    STATE_FIELD_ACCESS("StateFieldAccess",
            "state field %s is declared in %s, in another package than %s, so the generated snapshot codec"
                    + " cannot reach it; make it public, mark it transient, or turn snapshots off with"
                    + " @Aggregate(snapshotEvery = Aggregate.NO_SNAPSHOTS)"),
    FINAL_STATE_FIELD("FinalStateField",
            "state field %s of %s is final and not a List, Set or Map, so a snapshot cannot be restored"
                    + " into it; make it non-final, mark it transient, or turn snapshots off with"
                    + " @Aggregate(snapshotEvery = Aggregate.NO_SNAPSHOTS)"),
    UNSUPPORTED_STATE_FIELD("UnsupportedStateField",
            "state field %s of %s has type %s, which a snapshot cannot store; use " + Message.SUPPORTED
                    + ", mark it transient, or turn snapshots off with"
                    + " @Aggregate(snapshotEvery = Aggregate.NO_SNAPSHOTS)"),
    STATE_FIELD_HIDDEN("StateFieldHidden",
            "state field %s of %s hides the field of the same name in %s, and both would be stored under"
                    + " the same JSON key; rename one of them or mark one transient"),
    UNRESOLVED_TYPE("UnresolvedType",
            "%s refers to %s, which still does not exist after annotation processing; define or import"
                    + " the type"),
    WRITE_FAILED("WriteFailed",
            "could not write the generated %s: %s; make sure no other source file or processor of this"
                    + " compilation defines a type of that name, and that the output directory is writable"),
    SERVICE_INDEX_FAILED("ServiceIndexFailed",
            "could not write %s, which lists the generated descriptors for java.util.ServiceLoader: %s; make"
                    + " sure no other processor (an @AutoService on a descriptor, say) writes that file, and that"
                    + " the class output is writable"),
    MISSING_PROVIDES("MissingProvides",
            "%s is in module %s, whose module-info.java does not provide its generated %s; in a named module"
                    + " ServiceLoader, which the engine uses to find generated code, reads only module-info.java."
                    + " Declare it there (one directive per service): %s"),
    EVENT_SCHEMA_NEW("EventSchemaNew", Diagnostic.Kind.NOTE,
            "%s is new to the schema lock (\"%s\" version %d): its JSON shape is recorded in %s; commit that"
                    + " file with the sources, so that later compiles check changes against it"),
    EVENT_SCHEMA_UPDATED("EventSchemaUpdated", Diagnostic.Kind.NOTE,
            "the JSON shape of %s (\"%s\" version %d) changed compatibly (events stored under it still read),"
                    + " so %s was updated; commit it. Changes:%s"),
    EVENT_SCHEMA_CHANGED("EventSchemaChanged",
            "the JSON shape of %s (\"%s\" version %d) changed incompatibly with the one recorded in %s, so"
                    + " events stored under it could no longer be read:%s\nEither make the change compatible (add"
                    + " fields as Optional, boxed types, references or collections, never primitives; keep field"
                    + " types and enum constants), or bump @EventType(version = %d) and keep the old shape as a"
                    + " legacy class @EventType(name = \"%s\", version = %d) with an @Upcast method to the new"
                    + " version. The file was left as it is"),
    EVENT_SCHEMA_ORPHANED("EventSchemaOrphaned",
            "%s records event type \"%s\" version %d (class %s), but no event type of this compilation reads"
                    + " it any more (was the class renamed or deleted?), so events stored under it would not"
                    + " decode. Keep the stored name with @EventType(name = \"%s\") on the renamed class, or add"
                    + " @EventType(aliases = \"%s\") to it; for a changed shape, keep a legacy class"
                    + " @EventType(name = \"%s\", version = %d) with an @Upcast method to the current version; or"
                    + " delete the file if no such event was ever stored"),
    EVENT_SCHEMA_UNREADABLE("EventSchemaUnreadable",
            "%s cannot be read as a recorded event schema: %s; repair it (restore it from version control,"
                    + " say) or delete it to record the current shape again: the processor never overwrites it"),
    EVENT_SCHEMA_WRITE_FAILED("EventSchemaWriteFailed",
            "could not write %s: %s; make the directory of -Aeventsource.schemas writable, or point the"
                    + " option at another directory"),
    EVENT_SCHEMAS_OFF("EventSchemasOff", Diagnostic.Kind.WARNING,
            "schema changes of event types are not checked, because the processor option eventsource.schemas"
                    + " is not set: an incompatible change to an event class would only show when stored events"
                    + " fail to read. Set it to a directory committed with the sources; Maven:"
                    + " <compilerArgs><arg>-Aeventsource.schemas=${project.basedir}/src/main/event-schemas</arg>"
                    + "</compilerArgs>; Gradle: tasks.withType(JavaCompile) { options.compilerArgs +="
                    + " [\"-Aeventsource.schemas=${projectDir}/src/main/event-schemas\"] }"),
    PROCESSOR_EXCEPTION("ProcessorException",
            "eventsource-processor failed while %s: %s. This is a bug in the processor, not in your code:"
                    + " please report it at the project's issue tracker with this message. The rest of the"
                    + " compilation was still processed.%s");

    private static final String SUPPORTED = "primitives and their boxes, String, an enum, a record, a sealed"
            + " interface of records, BigDecimal, BigInteger, UUID, Instant, LocalDate, LocalDateTime, LocalTime,"
            + " OffsetDateTime, OffsetTime, ZonedDateTime, Duration, Period, Year, YearMonth, MonthDay, ZoneId,"
            + " Currency, URI, primitive arrays, or List/Set/Optional of those and Map<K, ...> with K one of"
            + " String, an enum, UUID, Integer, Long, LocalDate";

    private final String id;
    private final Diagnostic.Kind kind;
    private final String template;

    Message(String id, String template) {
        this(id, Diagnostic.Kind.ERROR, template);
    }

    Message(String id, Diagnostic.Kind kind, String template) {
        this.id = id;
        this.kind = kind;
        this.template = template;
    }

    /** The stable id, e.g. {@code ApplyArity}. */
    public String id() {
        return id;
    }

    /** Error; warning for the sealed-hierarchy checks and the missing schema option; note for facts the build should know. */
    public Diagnostic.Kind kind() {
        return kind;
    }

    /** The message text: {@code [Id] } followed by the template filled with {@code args}. */
    public String format(Object... args) {
        return "[" + id + "] " + String.format(template, args);
    }
}

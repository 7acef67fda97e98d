package dev.eventsource.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.eventsource.processor.Sources.compile;
import static dev.eventsource.processor.Sources.source;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.Filer;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** One test per diagnostic: its id and text, and the element (file and line) it is reported on. */
class DiagnosticsTest {

    private static final String CREATED = "record Created(String id) {}\n";

    private static JavaFileObject aggregate(String members) {
        return source("Acc", CREATED
                + "@Aggregate class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n"
                + members
                + "}\n");
    }

    @Test
    void apply_without_parameters() {
        JavaFileObject src = aggregate("  @Apply void none() {}\n");
        assertThat(compile(src)).hadErrorContaining("[ApplyArity] @Apply method Acc.none() takes 0 parameters; it must"
                + " take the event, optionally followed by an EventEnvelope<event type>")
                .inFile(src).onLineContaining("void none()");
    }

    @Test
    void apply_with_three_parameters() {
        JavaFileObject src = aggregate("  @Apply void three(Created e, EventEnvelope<Created> env, int x) {}\n");
        assertThat(compile(src)).hadErrorContaining("[ApplyArity] @Apply method Acc.three(Created, EventEnvelope, int)"
                + " takes 3 parameters").inFile(src).onLineContaining("void three(");
    }

    @Test
    void apply_with_wrong_envelope() {
        JavaFileObject src = aggregate("  @Apply void on(Created e, EventEnvelope<String> env) {}\n");
        assertThat(compile(src)).hadErrorContaining("[ApplyEnvelope] the second parameter of @Apply method"
                + " Acc.on(Created, EventEnvelope) is dev.eventsource.EventEnvelope<java.lang.String>; it must be"
                + " EventEnvelope<Created>, or remove it").inFile(src).onLineContaining("EventEnvelope<String> env");
    }

    @Test
    void apply_declaring_a_checked_exception() {
        JavaFileObject src = aggregate("  @Apply void on(Created e) throws java.io.IOException {}\n");
        assertThat(compile(src)).hadErrorContaining("[ApplyThrows] @Apply method Acc.on(Created) declares the checked"
                + " exception java.io.IOException, which the generated dispatcher cannot pass on")
                .inFile(src).onLineContaining("throws java.io.IOException");
    }

    @Test
    void apply_declaring_an_unchecked_exception_is_fine() {
        assertThat(compile(aggregate("  @Apply void on(Created e) throws IllegalStateException {}\n")))
                .succeededWithoutWarnings();
    }

    @Test
    void two_apply_methods_for_one_event_type() {
        JavaFileObject src = aggregate("  @Apply void first(Created e) {}\n  @Apply void second(Created e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[ApplyDuplicate] @Apply method Acc.second(Created) handles"
                + " test.Created, which @Apply method Acc.first(Created) already handles")
                .inFile(src).onLineContaining("void second(");
    }

    @Test
    void private_apply_method() {
        JavaFileObject src = aggregate("  @Apply private void on(Created e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[ApplyPrivate] @Apply method Acc.on(Created) is private, so the"
                + " generated dispatcher cannot call it; make it package-private")
                .inFile(src).onLineContaining("private void on(");
    }

    @Test
    void static_apply_method() {
        JavaFileObject src = aggregate("  @Apply static void on(Created e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[ApplyStatic] @Apply method Acc.on(Created) is static")
                .inFile(src).onLineContaining("static void on(");
    }

    @Test
    void apply_outside_aggregate_or_projection() {
        JavaFileObject src = source("Helper", CREATED + "class Helper {\n  @Apply void on(Created e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[ApplyOutside] @Apply method Helper.on(...) is in test.Helper,"
                + " which is neither an @Aggregate nor a @Projection").inFile(src).onLineContaining("void on(");
    }

    @Test
    void aggregate_on_an_interface() {
        JavaFileObject src = source("Acc", "@Aggregate interface Acc {}\n");
        assertThat(compile(src)).hadErrorContaining("[AggregateNotClass] @Aggregate is on test.Acc, which is an"
                + " interface; put it on a class that extends dev.eventsource.AggregateRoot")
                .inFile(src).onLineContaining("interface Acc");
    }

    @Test
    void abstract_aggregate() {
        JavaFileObject src = source("Acc", CREATED + "@Aggregate abstract class Acc extends AggregateRoot {\n"
                + "  @Apply void on(Created e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[AggregateAbstract] @Aggregate class test.Acc is abstract")
                .inFile(src).onLineContaining("abstract class Acc");
    }

    @Test
    void aggregate_without_no_arg_constructor() {
        JavaFileObject src = aggregate("  Acc(String id) {}\n  @Apply void on(Created e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[AggregateConstructor] @Aggregate class test.Acc has no accessible"
                + " no-arg constructor, so the generated factory cannot create it; add a public or package-private"
                + " no-arg constructor").inFile(src).onLineContaining("class Acc extends");
    }

    @Test
    void aggregate_with_only_a_private_no_arg_constructor() {
        JavaFileObject src = aggregate("  private Acc() {}\n  @Apply void on(Created e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[AggregateConstructor] @Aggregate class test.Acc has no accessible"
                + " no-arg constructor").inFile(src).onLineContaining("class Acc extends");
    }

    @Test
    void aggregate_as_inner_class() {
        JavaFileObject src = source("Outer", CREATED + "class Outer {\n"
                + "  @Aggregate class Acc extends AggregateRoot {\n"
                + "    public String id() { return null; }\n    @Apply void on(Created e) {}\n  }\n}\n");
        assertThat(compile(src)).hadErrorContaining("and make the nested class static")
                .inFile(src).onLineContaining("class Acc extends");
    }

    @Test
    void aggregate_not_extending_aggregate_root() {
        JavaFileObject src = source("Acc", CREATED + "@Aggregate class Acc {\n  @Apply void on(Created e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[AggregateBase] @Aggregate class test.Acc does not extend"
                + " dev.eventsource.AggregateRoot").inFile(src).onLineContaining("class Acc");
    }

    @Test
    void projection_on_an_interface() {
        JavaFileObject src = source("View", "@Projection interface View {}\n");
        assertThat(compile(src)).hadErrorContaining("[ProjectionNotClass] @Projection is on test.View, which is an"
                + " interface; put it on a class").inFile(src).onLineContaining("interface View");
    }

    @Test
    void projection_without_apply_methods() {
        JavaFileObject src = source("View", "@Projection class View {\n  void on(String s) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[ProjectionNoApply] @Projection class test.View has no @Apply"
                + " methods, so it would never see an event").inFile(src).onLineContaining("class View");
    }

    @Test
    void private_event_type() {
        JavaFileObject src = aggregate("  private record Hidden(String x) {}\n  @Apply void on(Hidden e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[TypePrivate] test.Acc.Hidden is private, so generated code in"
                + " package test cannot use it").inFile(src).onLineContaining("private record Hidden");
    }

    @Test
    void blank_name() {
        JavaFileObject src = source("Acc", "@EventType(name = \" \") record Named(String id) {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void on(Named e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[BlankName] @EventType(name = \" \") on test.Named is blank; give a"
                + " non-blank name, or remove it to use the simple class name")
                .inFile(src).onLineContaining("@EventType(name = \" \")");
    }

    @Test
    void blank_aggregate_name() {
        JavaFileObject src = source("Acc", CREATED + "@Aggregate(name = \"\\t\") class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n  @Apply void on(Created e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[BlankName] @Aggregate(name = \"\t\") on test.Acc is blank")
                .inFile(src).onLineContaining("@Aggregate(name");
    }

    @Test
    void negative_snapshot_every() {
        JavaFileObject src = source("Acc", CREATED + "@Aggregate(snapshotEvery = -5) class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n  @Apply void on(Created e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[SnapshotEvery] @Aggregate(snapshotEvery = -5) on test.Acc is"
                + " negative; use 0 for the engine's default, a positive number of events, or Aggregate.NO_SNAPSHOTS")
                .inFile(src).onLineContaining("snapshotEvery = -5");
    }

    @Test
    void snapshot_version_below_one() {
        JavaFileObject src = source("Acc", CREATED + "@Aggregate(snapshotVersion = 0) class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n  @Apply void on(Created e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[SnapshotVersion] @Aggregate(snapshotVersion = 0) on test.Acc is less"
                + " than 1; versions start at 1 (bump it when logic outside the @Apply methods that builds the state changes)")
                .inFile(src).onLineContaining("snapshotVersion = 0");
    }

    @Test
    void event_type_version_below_one() {
        JavaFileObject src = source("Acc", "@EventType(version = 0) record V(String id) {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void on(V e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[EventTypeVersion] @EventType(version = 0) on test.V is less than 1;"
                + " versions start at 1").inFile(src).onLineContaining("@EventType(version = 0)");
    }

    @Test
    void event_type_not_a_record_or_final_class() {
        JavaFileObject src = aggregate("  static class Mutable { String x; }\n  @Apply void on(Mutable e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[EventNotValueType] test.Acc.Mutable cannot be an event or value"
                + " type: it is a class that is not final; make it a record (or a final class whose constructor takes"
                + " all its final fields in declaration order)").inFile(src).onLineContaining("void on(Mutable e)");
    }

    @Test
    void final_class_without_canonical_constructor() {
        JavaFileObject src = aggregate("  static final class Odd { final String a; final int b;\n"
                + "    Odd(int b, String a) { this.a = a; this.b = b; } }\n  @Apply void on(Odd e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[EventNotValueType] test.Acc.Odd cannot be an event or value type:"
                + " no non-private constructor takes its fields (java.lang.String a, int b) in that order")
                .inFile(src).onLineContaining("static final class Odd");
    }

    @Test
    void final_class_with_unreadable_field() {
        JavaFileObject src = aggregate("  static final class Odd { private final String secret;\n"
                + "    Odd(String secret) { this.secret = secret; } }\n  @Apply void on(Odd e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[EventNotValueType] test.Acc.Odd cannot be an event or value type:"
                + " field secret is private and has no accessor secret() or get/isSecret()")
                .inFile(src).onLineContaining("private final String secret");
    }

    @Test
    void generic_event_type() {
        JavaFileObject src = aggregate("  record Box<T>(T value) {}\n  @Apply void on(Box<String> e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[EventGeneric] test.Acc.Box has type parameters, but a generated"
                + " codec needs one concrete type").inFile(src).onLineContaining("void on(Box<String> e)");
    }

    @Test
    void unsupported_field_type_names_field_and_type() {
        JavaFileObject event = source("Changed", "record Changed(String id, Object payload) {}\n");
        JavaFileObject src = source("Acc", "@Aggregate class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n  @Apply void on(Changed e) {}\n}\n");
        assertThat(compile(event, src)).hadErrorContaining("[UnsupportedFieldType] field payload of test.Changed has type"
                + " java.lang.Object, which the generated JSON codec cannot read and write; use primitives and their"
                + " boxes, String, an enum, a record").inFile(event).onLineContaining("Object payload");
    }

    @Test
    void unsupported_map_key_type() {
        JavaFileObject event = source("Changed", "record Changed(Map<Double, String> byNumber) {}\n");
        JavaFileObject src = source("Acc", "@Aggregate class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n  @Apply void on(Changed e) {}\n}\n");
        assertThat(compile(event, src)).hadErrorContaining("[UnsupportedFieldType] field byNumber of test.Changed has"
                + " type java.util.Map<java.lang.Double,java.lang.String>").inFile(event).onLineContaining("byNumber");
    }

    private static JavaFileObject paidWith(String payment) {
        return source("Acc", payment
                + "record Paid(String id,\n    List<Payment> payments) {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n"
                + "  public String id() { return null; }\n  @Apply void on(Paid e) {}\n}\n");
    }

    @Test
    void sealed_field_whose_subtypes_share_a_discriminator() {
        JavaFileObject src = paidWith("sealed interface Payment permits Card, Cash {}\n"
                + "record Card(String last4) implements Payment {}\n"
                + "@EventType(name = \"Card\") record Cash(long cents) implements Payment {}\n");
        assertThat(compile(src)).hadErrorContaining("[SealedDiscriminatorClash] field payments of test.Paid has type"
                + " java.util.List<test.Payment>, whose permitted subtypes test.Card and test.Cash are both written"
                + " under the discriminator \"Card\", so a stored value could read as either")
                .inFile(src).onLineContaining("List<Payment> payments");
    }

    @Test
    void sealed_field_with_a_subtype_that_is_not_a_value_type() {
        JavaFileObject src = paidWith("sealed interface Payment permits Card, Other {}\n"
                + "record Card(String last4) implements Payment {}\n"
                + "non-sealed interface Other extends Payment {}\n");
        assertThat(compile(src)).hadErrorContaining("[SealedFieldSubtype] field payments of test.Paid has type"
                + " java.util.List<test.Payment>, a sealed interface written as {\"<subtype>\": {...}}, but its permitted"
                + " subtype test.Other is an interface (a sealed hierarchy nested in another is not supported)")
                .inFile(src).onLineContaining("List<Payment> payments");
    }

    @Test
    void sealed_state_field_with_an_open_class_subtype() {
        JavaFileObject src = source("Acc", CREATED
                + "sealed interface Payment permits Open {}\nnon-sealed class Open implements Payment {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n"
                + "  Payment payment;\n"
                + "  public String id() { return null; }\n  @Apply void on(Created e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[SealedFieldSubtype] field payment of test.Acc has type"
                + " test.Payment, a sealed interface written as {\"<subtype>\": {...}}, but its permitted subtype"
                + " test.Open is not a record or final class").inFile(src).onLineContaining("Payment payment;");
    }

    @Test
    void two_event_types_with_one_stable_name() {
        JavaFileObject src = source("Acc", "@EventType(name = \"same\") record A(String id) {}\n"
                + "@EventType(name = \"same\") record B(String id) {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void onA(A e) {}\n  @Apply void onB(B e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[DuplicateEventName] test.A and test.B both decode the stored event"
                + " name \"same\" in test.Acc; give one of them another name with @EventType(name = \"...\")")
                .inFile(src).onLineContaining("void onB(");
    }

    @Test
    void alias_that_is_the_name_of_another_event_of_the_aggregate() {
        JavaFileObject src = source("Acc", "@EventType(version = 2, aliases = {\"B\"}) record A(String id) {}\n"
                + "record B(String id) {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void onA(A e) {}\n  @Apply void onB(B e) {}\n}\n");
        assertThat(compile(src)).hadErrorContaining("[DuplicateEventName] test.A and test.B both decode the stored event"
                + " name \"B\" in test.Acc; give one of them another name with @EventType(name = \"...\"), or remove"
                + " the alias").inFile(src).onLineContaining("void onB(");
    }

    /** Event type {@code V}, annotated with {@code annotation} on a line of its own, applied by aggregate Acc. */
    private static JavaFileObject appliedEvent(String annotation) {
        return source("Acc", annotation + "\nrecord V(String id) {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void on(V e) {}\n}\n");
    }

    @Test
    void blank_alias() {
        JavaFileObject src = appliedEvent("@EventType(aliases = {\"Old\", \" \"})");
        assertThat(compile(src)).hadErrorContaining("[BlankAlias] @EventType(aliases = \" \") on test.V is blank; write"
                + " the name the events were stored under, or remove it").inFile(src).onLineContaining("aliases =");
    }

    @Test
    void alias_that_is_the_types_own_name() {
        JavaFileObject src = appliedEvent("@EventType(name = \"V1\", aliases = {\"V1\"})");
        assertThat(compile(src)).hadErrorContaining("[AliasIsName] @EventType(aliases = \"V1\") on test.V repeats the"
                + " type's own stable name, which always decodes as this type; remove the alias")
                .inFile(src).onLineContaining("aliases =");
    }

    @Test
    void alias_listed_twice() {
        JavaFileObject src = appliedEvent("@EventType(aliases = {\"Old\", \"Old\"})");
        assertThat(compile(src)).hadErrorContaining("[DuplicateAlias] @EventType(aliases = \"Old\") on test.V is listed"
                + " twice; remove one").inFile(src).onLineContaining("aliases =");
    }

    private static final String TWO_CREATED = "@Aggregate class Order extends AggregateRoot {\n"
            + "  public String id() { return null; }\n  record Created(String id) {}\n  @Apply void on(Created e) {}\n}\n"
            + "@Aggregate class Invoice extends AggregateRoot {\n"
            + "  public String id() { return null; }\n  %s\n  @Apply void on(Created e) {}\n}\n";

    @Test
    void two_aggregates_with_event_types_of_one_stable_name() {
        JavaFileObject src = source("Order", TWO_CREATED.formatted("record Created(String invoiceId) {}"));
        assertThat(compile(src)).hadErrorContaining("[EventTypeNameClash] test.Invoice.Created (version 1) uses the"
                + " stored event name \"Created\" as its stable name, but test.Order.Created (version 1) already"
                + " uses it as its stable name in this compilation, so a stored event of that name could decode as"
                + " either; give one of them a distinct name with @EventType(name = \"...\"), or remove the alias")
                .inFile(src).onLineContaining("record Created(String invoiceId)");
    }

    @Test
    void alias_that_is_the_stable_name_of_another_event_type_of_the_compilation() {
        JavaFileObject src = source("Order", TWO_CREATED.formatted(
                "@EventType(name = \"InvoiceCreated\", aliases = {\"Created\"}) record Created(String invoiceId) {}"));
        assertThat(compile(src)).hadErrorContaining("[EventTypeNameClash] test.Invoice.Created (version 1) uses the"
                + " stored event name \"Created\" as its alias, but test.Order.Created (version 1) already uses it"
                + " as its stable name in this compilation").inFile(src).onLineContaining("record Created(String invoiceId)");
    }

    @Test
    void one_stable_name_with_different_versions_is_a_clash_unless_each_class_has_event_type() {
        JavaFileObject src = source("Order", TWO_CREATED.formatted(
                "@EventType(name = \"Created\", version = 2) record Created(String invoiceId) {}"));
        assertThat(compile(src)).hadErrorContaining("[EventTypeNameClash] test.Invoice.Created (version 2) uses the"
                + " stored event name \"Created\" as its stable name, but test.Order.Created (version 1) already uses it"
                + " as its stable name in this compilation, so a stored event of that name could decode as either;"
                + " give one of them a distinct name with @EventType(name = \"...\"), or remove the alias; classes of"
                + " one name with different versions are versions of one event only when each has @EventType")
                .inFile(src).onLineContaining("record Created(String invoiceId)");
    }

    @Test
    void sealed_subtype_without_handler_is_a_warning() {
        JavaFileObject src = source("Acc", "sealed interface Ev permits A, B {}\n"
                + "record A(String id) implements Ev {}\nrecord B(String id) implements Ev {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void onA(A e) {}\n}\n");
        Compilation compilation = compile(src);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[SealedNotCovered] Acc handles A but not B, another permitted"
                + " subtype of sealed test.Ev, so applying one fails with UnknownEventException; add an @Apply method"
                + " for B or for Ev").inFile(src).onLineContaining("void onA(");
    }

    @Test
    void sealed_subtype_that_is_not_a_value_type_is_a_warning() {
        JavaFileObject src = source("Acc", "sealed interface Ev permits A, Open {}\n"
                + "record A(String id) implements Ev {}\nnon-sealed interface Open extends Ev {}\n"
                + "@Aggregate class Acc extends AggregateRoot {\n  public String id() { return null; }\n"
                + "  @Apply void on(Ev e) {}\n}\n");
        Compilation compilation = compile(src);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[SealedOpenSubtype] test.Open, a permitted subtype of sealed"
                + " test.Ev, is not a record or final class, so its events get no codec and cannot be stored")
                .inFile(src).onLineContaining("void on(Ev e)");
    }

    @Test
    void private_state_field() {
        JavaFileObject src = aggregate("  private String secret;\n  @Apply void on(Created e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[PrivateStateField] state field secret of test.Acc is private, so"
                + " the generated snapshot codec cannot read or write it; make it package-private, mark it transient,"
                + " or turn snapshots off with @Aggregate(snapshotEvery = Aggregate.NO_SNAPSHOTS)")
                .inFile(src).onLineContaining("private String secret");
    }

    @Test
    void private_state_is_fine_without_snapshots() {
        JavaFileObject src = source("Acc", CREATED
                + "@Aggregate(snapshotEvery = Aggregate.NO_SNAPSHOTS) class Acc extends AggregateRoot {\n"
                + "  private Object anything;\n  public String id() { return null; }\n  @Apply void on(Created e) {}\n}\n");
        assertThat(compile(src)).succeededWithoutWarnings();
    }

    @Test
    void state_field_in_a_superclass_of_another_package() {
        JavaFileObject base = JavaFileObjects.forSourceString("other.Base", "package other;\n"
                + "public abstract class Base extends dev.eventsource.AggregateRoot {\n  int count;\n}\n");
        JavaFileObject src = source("Acc", CREATED + "@Aggregate class Acc extends other.Base {\n"
                + "  public String id() { return null; }\n  @Apply void on(Created e) {}\n}\n");
        assertThat(compile(base, src)).hadErrorContaining("[StateFieldAccess] state field count is declared in"
                + " other.Base, in another package than test.Acc").inFile(base).onLineContaining("int count");
    }

    @Test
    void final_state_field() {
        JavaFileObject src = aggregate("  final String fixed = \"x\";\n  @Apply void on(Created e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[FinalStateField] state field fixed of test.Acc is final and not a"
                + " List, Set or Map, so a snapshot cannot be restored into it").inFile(src).onLineContaining("final String fixed");
    }

    @Test
    void unsupported_state_field() {
        JavaFileObject src = aggregate("  Thread worker;\n  @Apply void on(Created e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[UnsupportedStateField] state field worker of test.Acc has type"
                + " java.lang.Thread, which a snapshot cannot store").inFile(src).onLineContaining("Thread worker");
    }

    @Test
    void state_field_hiding_a_superclass_field() {
        JavaFileObject base = source("Base", "abstract class Base extends AggregateRoot {\n  int count;\n}\n");
        JavaFileObject src = source("Acc", CREATED + "@Aggregate class Acc extends Base {\n  long count;\n"
                + "  public String id() { return null; }\n  @Apply void on(Created e) {}\n}\n");
        assertThat(compile(base, src)).hadErrorContaining("[StateFieldHidden] state field count of test.Acc hides the"
                + " field of the same name in test.Base").inFile(src).onLineContaining("long count");
    }

    @Test
    void type_that_never_appears() {
        JavaFileObject src = aggregate("  @Apply void on(Missing e) {}\n");
        assertThat(compile(src)).hadErrorContaining("[UnresolvedType] parameter e of Acc.on refers to Missing, which still does not"
                + " exist after annotation processing").inFile(src).onLineContaining("void on(Missing e)");
    }

    @Test
    void generated_type_that_a_source_file_already_defines() {
        JavaFileObject taken = source("Acc_Aggregate", "class Acc_Aggregate {}\n");
        JavaFileObject src = aggregate("  @Apply void on(Created e) {}\n");
        assertThat(compile(taken, src)).hadErrorContaining("[WriteFailed] could not write the generated"
                + " test.Acc_Aggregate: javax.annotation.processing.FilerException: Attempt to recreate a file for type"
                + " test.Acc_Aggregate; make sure no other source file or processor of this compilation defines a type"
                + " of that name").inFile(src).onLineContaining("class Acc extends");
    }

    /** Another processor that writes the aggregate services file first, as an {@code @AutoService} would. */
    static final class WritesTheServicesFile extends FirstRoundProcessor {
        static final String PATH = "META-INF/services/dev.eventsource.spi.AggregateDescriptor";

        @Override
        void firstRound(Filer filer) throws IOException {
            try (Writer w = filer.createResource(StandardLocation.CLASS_OUTPUT, "", PATH).openWriter()) {
                w.write("com.acme.HandWritten_Aggregate\n");
            }
        }
    }

    @Test
    void services_file_that_another_processor_wrote() {
        JavaFileObject src = aggregate("  @Apply void on(Created e) {}\n");
        Compilation compilation = Compiler.javac()
                .withProcessors(new EventSourceProcessor(), new WritesTheServicesFile()).compile(src);
        // The services file belongs to the whole compilation, so the error has no element, file or line.
        assertThat(compilation).hadErrorContaining("[ServiceIndexFailed] could not write"
                + " META-INF/services/dev.eventsource.spi.AggregateDescriptor, which lists the generated descriptors"
                + " for java.util.ServiceLoader: javax.annotation.processing.FilerException: Attempt to reopen a file"
                + " for path");
        assertThat(compilation).hadErrorCount(1);
    }
}

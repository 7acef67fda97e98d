/**
 * The store conformance suites ({@code dev.eventsource.testing}), an ordinary JUnit Jupiter test
 * kit: a module that tests a store {@code requires dev.eventsource.testing}.
 */
module dev.eventsource.testing {
    requires transitive dev.eventsource;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.eventsource.testing;
    // JUnit calls the suites' package-private @Nested classes and lifecycle methods reflectively.
    opens dev.eventsource.testing to org.junit.platform.commons;
}

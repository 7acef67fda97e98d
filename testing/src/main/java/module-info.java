/**
 * The testing kit ({@code dev.eventsource.testing}): given/when/then fixtures for aggregates,
 * projections and reactions, which need no test framework, and the store conformance suites, JUnit
 * Jupiter classes with AssertJ assertions; a module that uses it {@code requires dev.eventsource.testing}
 * (and JUnit and AssertJ, to run the suites).
 */
module dev.eventsource.testing {
    requires transitive dev.eventsource;
    // Only the conformance suites use them: optional, so the fixtures run without either.
    requires static transitive org.junit.jupiter.api;
    requires static transitive org.assertj.core;
    requires transitive java.sql;   // ProjectionFixture.inTransactions(DataSource)

    exports dev.eventsource.testing;
    // JUnit calls the suites' package-private @Nested classes and lifecycle methods reflectively.
    opens dev.eventsource.testing to org.junit.platform.commons;
}

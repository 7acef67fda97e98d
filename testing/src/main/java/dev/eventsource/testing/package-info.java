/**
 * The test kit: the store conformance suites (TCK), one abstract JUnit 5 class per store role, and
 * {@link dev.eventsource.testing.StoreConformance}, which runs every suite that applies to a store and
 * reports the checks of the roles it does not implement as skipped, with the reason. Described in
 * {@code docs/testing.md}.
 */
package dev.eventsource.testing;

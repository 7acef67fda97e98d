/**
 * Source elements to model: the readers check every rule and report violations through the one
 * {@link dev.eventsource.processor.read.Reporter}, with messages from
 * {@link dev.eventsource.processor.read.Message}. For the schema lock also schema files to model
 * ({@code SchemaFileReader}, over the small JSON parser {@code JsonText}) and the comparison of a
 * recorded shape with the current one ({@code SchemaComparator}).
 */
package dev.eventsource.processor.read;

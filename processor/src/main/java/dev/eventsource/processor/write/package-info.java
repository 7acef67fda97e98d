/**
 * Model to code: JavaPoet writers for codecs and descriptors, the service index, and the schema
 * lock's JSON text ({@code SchemaWriter}, plain text, no JavaPoet). Writers never
 * inspect source elements beyond passing them on as originating elements. {@code TypeNames} is where
 * the model's plain class names and field types become JavaPoet types; JavaPoet is used nowhere
 * else but here and in the entry point, which hands the files to the {@code Filer}.
 */
package dev.eventsource.processor.write;

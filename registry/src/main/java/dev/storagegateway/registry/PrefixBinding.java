package dev.storagegateway.registry;

/**
 * Maps the objects under {@code prefix} to an Arborist resource path, so one bucket can serve
 * several projects. The empty prefix binds the whole bucket; the longest matching prefix wins.
 */
public record PrefixBinding(String prefix, String resourcePath) {}

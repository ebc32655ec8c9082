package io.assignmentworker.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code iaw --version}: the project version the jar's manifest carries, {@code dev} when run from classes. */
final class ManifestVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"iaw " + version()};
    }

    static String version() {
        String version = ManifestVersion.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "dev" : version;
    }
}

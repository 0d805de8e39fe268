package dev.phiguard.cli;

import picocli.CommandLine;

/** The version from the jar's manifest; "development build" when run from classes. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    public static String version() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"phiguard " + version(), "Java " + System.getProperty("java.version")};
    }
}

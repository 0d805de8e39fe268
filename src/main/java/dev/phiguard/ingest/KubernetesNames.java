package dev.phiguard.ingest;

import java.util.Optional;
import java.util.regex.Pattern;

/** The API server's rules for label keys and values and port names; each check returns what is wrong. */
final class KubernetesNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

    private KubernetesNames() {
    }

    /** A label or annotation key: {@code [prefix/]name}. */
    static Optional<String> checkLabelKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("the prefix before '/' must be a lower-case DNS subdomain");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            return Optional.of("must be at most 63 letters, digits, '-', '_' or '.', starting and ending"
                    + " with a letter or digit, after an optional DNS-subdomain prefix and '/'");
        }
        return Optional.empty();
    }

    static Optional<String> checkLabelValue(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > 63 || !NAME.matcher(value).matches()) {
            return Optional.of("must be empty or at most 63 letters, digits, '-', '_' or '.', starting and ending"
                    + " with a letter or digit");
        }
        return Optional.empty();
    }

    /** A port name (IANA_SVC_NAME). */
    static Optional<String> checkPortName(String name) {
        if (name.length() > 15) {
            return Optional.of("a port name must be no more than 15 characters");
        }
        if (!PORT_NAME_CHARS.matcher(name).matches()) {
            return Optional.of("a port name must contain only lower-case letters, digits and '-'");
        }
        if (!HAS_LETTER.matcher(name).matches()) {
            return Optional.of("a port name must contain at least one letter");
        }
        if (name.contains("--")) {
            return Optional.of("a port name must not contain consecutive hyphens");
        }
        if (name.startsWith("-") || name.endsWith("-")) {
            return Optional.of("a port name must not begin or end with a hyphen");
        }
        return Optional.empty();
    }
}

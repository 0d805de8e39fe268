package dev.phiguard.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A suite of connectivity assertions, as a team writes them down: this may reach that on this
 * port, that may not, only these reach X, X reaches only these. Each assertion is one test case.
 *
 * @param name the suite's name ({@code metadata.name})
 * @param source where the document starts
 */
public record Expectations(String name, List<Assertion> assertions, SourceRef source) {

    public Expectations {
        Objects.requireNonNull(name, "name");
        assertions = List.copyOf(assertions);
        Objects.requireNonNull(source, "source");
    }

    /** What a pair assertion expects of every pair it covers. */
    public enum Verdict {
        ALLOW,
        DENY;

        /** {@code allow} or {@code deny}, as written in the file. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One end of an assertion: a workload by name, every workload a selector chooses, or
     * addresses outside the cluster.
     */
    public sealed interface Endpoint {

        /** Where the endpoint is written. */
        SourceRef source();

        /** {@code namespace/name} or {@code namespace/name[Kind]}. */
        record Workload(String namespace, String name, Optional<String> kind, SourceRef source) implements Endpoint {
            public Workload {
                Objects.requireNonNull(namespace, "namespace");
                Objects.requireNonNull(name, "name");
                Objects.requireNonNull(kind, "kind");
                Objects.requireNonNull(source, "source");
            }

            /** True when the id is the one named: same namespace and name, and kind when one was given. */
            public boolean matches(WorkloadId id) {
                return id.namespace().equals(namespace) && id.name().equals(name)
                        && kind.map(k -> k.equalsIgnoreCase(id.kind())).orElse(true);
            }

            @Override
            public String toString() {
                return namespace + "/" + name + kind.map(k -> "[" + k + "]").orElse("");
            }
        }

        /**
         * Every workload whose namespace and pods the selectors match; an absent selector matches
         * all.
         */
        record Selector(WorkloadSelector selector, SourceRef source) implements Endpoint {
            public Selector {
                Objects.requireNonNull(selector, "selector");
                Objects.requireNonNull(source, "source");
            }

            /**
             * {@code every workload}, {@code every workload in namespaces zone=phi}, {@code pods
             * app=db in every namespace}, or {@code pods app=db in namespaces zone=phi}.
             */
            @Override
            public String toString() {
                LabelSelector namespaces = selector.namespaceSelector();
                LabelSelector pods = selector.podSelector();
                if (pods.isEmpty()) {
                    return namespaces.isEmpty() ? "every workload" : "every workload in namespaces " + namespaces;
                }
                return "pods " + pods + " in " + (namespaces.isEmpty() ? "every namespace" : "namespaces " + namespaces);
            }
        }

        /**
         * Addresses outside the cluster.
         *
         * @param text how the file wrote them: {@code 203.0.113.0/24}, {@code 8.8.8.8}, or
         *     {@code 0.0.0.0/0 except 10.0.0.0/8}
         */
        record Addresses(String text, IpSet addresses, SourceRef source) implements Endpoint {
            public Addresses {
                Objects.requireNonNull(text, "text");
                Objects.requireNonNull(addresses, "addresses");
                Objects.requireNonNull(source, "source");
            }

            @Override
            public String toString() {
                return text;
            }
        }
    }

    /**
     * One test case.
     *
     * <p>{@code port} is what is asked about: numbers with their protocol, a container port name
     * of the destination, or, when empty, every connection. A protocol without a port is every
     * port of that protocol ({@code 1-65535/UDP}).
     */
    public sealed interface Assertion {
        String name();

        Optional<PortMatcher> port();

        SourceRef source();
    }

    /** {@code from} may (allow) or may not (deny) connect to {@code to}, on every pair they cover. */
    public record Pair(String name, Endpoint from, Endpoint to, Optional<PortMatcher> port, Verdict expect,
            SourceRef source) implements Assertion {
        public Pair {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(expect, "expect");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * Only these reach {@code to}: every other workload, and every address outside the cluster not
     * listed, is denied to it (on {@code port}, or on any port).
     */
    public record OnlyReachedBy(String name, Endpoint to, List<Endpoint> from, Optional<PortMatcher> port,
            SourceRef source) implements Assertion {
        public OnlyReachedBy {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(to, "to");
            from = List.copyOf(from);
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * {@code from} reaches only these: it is denied to every other workload and every address
     * outside the cluster not listed (on {@code port}, or on any port).
     */
    public record ReachesOnly(String name, Endpoint from, List<Endpoint> to, Optional<PortMatcher> port,
            SourceRef source) implements Assertion {
        public ReachesOnly {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(from, "from");
            to = List.copyOf(to);
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(source, "source");
        }
    }
}

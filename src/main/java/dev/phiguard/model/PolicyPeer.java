package dev.phiguard.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One item of a rule's {@code from} or {@code to}. */
public sealed interface PolicyPeer {

    /**
     * Pods chosen by selectors: the pod selector alone means the policy's own namespace; the
     * namespace selector alone means every pod of the matching namespaces; both together mean
     * the matching pods in the matching namespaces.
     */
    record SelectorPeer(Optional<LabelSelector> namespaceSelector, Optional<LabelSelector> podSelector)
            implements PolicyPeer {
        public SelectorPeer {
            Objects.requireNonNull(namespaceSelector, "namespaceSelector");
            Objects.requireNonNull(podSelector, "podSelector");
            if (namespaceSelector.isEmpty() && podSelector.isEmpty()) {
                throw new IllegalArgumentException("A selector peer needs a namespace or a pod selector");
            }
        }

        public static SelectorPeer pods(LabelSelector podSelector) {
            return new SelectorPeer(Optional.empty(), Optional.of(podSelector));
        }

        public static SelectorPeer namespaces(LabelSelector namespaceSelector) {
            return new SelectorPeer(Optional.of(namespaceSelector), Optional.empty());
        }

        public static SelectorPeer podsInNamespaces(LabelSelector namespaceSelector, LabelSelector podSelector) {
            return new SelectorPeer(Optional.of(namespaceSelector), Optional.of(podSelector));
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            namespaceSelector.ifPresent(selector -> text.append("namespaceSelector{").append(selector).append('}'));
            podSelector.ifPresent(selector -> text.append(text.length() > 0 ? " " : "")
                    .append("podSelector{").append(selector).append('}'));
            return text.toString();
        }
    }

    /** Addresses outside the cluster: {@code cidr} minus every {@code except}. */
    record IpBlockPeer(String cidr, List<String> except, IpSet addresses) implements PolicyPeer {
        public IpBlockPeer {
            Objects.requireNonNull(cidr, "cidr");
            Objects.requireNonNull(addresses, "addresses");
            except = List.copyOf(except);
        }

        /** Parses and subtracts; throws IllegalArgumentException for an invalid CIDR. */
        public static IpBlockPeer of(String cidr, List<String> except) {
            return new IpBlockPeer(cidr, except, IpSet.fromCidr(cidr, except));
        }

        @Override
        public String toString() {
            return except.isEmpty() ? "ipBlock{" + cidr + "}" : "ipBlock{" + cidr + " except " + String.join(",", except) + "}";
        }
    }
}

package dev.phiguard.model;

/** The two directions a NetworkPolicy can isolate. */
public enum Direction {
    INGRESS("Ingress"),
    EGRESS("Egress");

    private final String kubernetesName;

    Direction(String kubernetesName) {
        this.kubernetesName = kubernetesName;
    }

    /** As written in {@code policyTypes}. */
    public String kubernetesName() {
        return kubernetesName;
    }

    public static java.util.Optional<Direction> fromKubernetesName(String name) {
        for (Direction direction : values()) {
            if (direction.kubernetesName.equals(name)) {
                return java.util.Optional.of(direction);
            }
        }
        return java.util.Optional.empty();
    }
}

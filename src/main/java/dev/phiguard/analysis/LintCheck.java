package dev.phiguard.analysis;

/** The checks of {@code phiguard lint}, each with a stable id, a level and a title. */
public enum LintCheck {
    POLICY_SELECTS_NOTHING("PL001", Level.WARNING, "A NetworkPolicy selects no workload"),
    PEER_SELECTS_NOTHING("PL002", Level.WARNING, "A peer selector matches no namespace or no workload"),
    NAMED_PORT_UNDEFINED("PL003", Level.WARNING, "A named port that no destination of the rule declares"),
    EXCEPT_REMOVES_NOTHING("PL004", Level.WARNING, "An ipBlock except that removes nothing"),
    POLICY_TYPES_IGNORE_RULES("PL005", Level.ERROR, "policyTypes leaves out a direction the policy has rules for"),
    EGRESS_WITHOUT_DNS("PL006", Level.WARNING, "A workload isolated for egress cannot reach cluster DNS"),
    SERVICE_PORT_UNREACHABLE("PL007", Level.ERROR, "A Service sends traffic to a port that accepts connections from nobody"),
    INGRESS_PORT_UNDECLARED("PL008", Level.WARNING, "An ingress rule allows a port no selected workload declares"),
    WORKLOAD_CUT_OFF("PL009", Level.WARNING, "A workload reaches nothing and is reached by nothing"),
    REDUNDANT_RULE("PL010", Level.NOTE, "A rule whose removal changes no allowed connection"),
    REDUNDANT_POLICY("PL011", Level.NOTE, "A NetworkPolicy whose removal changes no allowed connection"),
    CONTAINED_POLICY("PL012", Level.NOTE, "A NetworkPolicy that another one equals or contains");

    /** How much a finding matters; the names are SARIF's levels. */
    public enum Level {
        ERROR,
        WARNING,
        NOTE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String id;
    private final Level level;
    private final String title;

    LintCheck(String id, Level level, String title) {
        this.id = id;
        this.level = level;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public Level level() {
        return level;
    }

    public String title() {
        return title;
    }

    /** {@code policy-selects-nothing}: the kebab-case name SARIF rules carry. */
    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}

package dev.phiguard.compliance;

import java.util.Objects;

/** A reference to a requirement a control helps meet: {@code 45 CFR 164.312(e)(1) Transmission security}. */
public record Citation(Framework framework, String reference, String title) {

    /** The sources phiguard cites. */
    public enum Framework {
        HIPAA("HIPAA Security Rule"),
        CIS_KUBERNETES("CIS Kubernetes Benchmark"),
        NIST_800_190("NIST SP 800-190"),
        NIST_800_66("NIST SP 800-66r2");

        private final String displayName;

        Framework(String displayName) {
            this.displayName = displayName;
        }

        public String displayName() {
            return displayName;
        }
    }

    public Citation {
        Objects.requireNonNull(framework, "framework");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(title, "title");
    }

    public static Citation hipaa(String paragraph, String title) {
        return new Citation(Framework.HIPAA, "45 CFR 164.312" + paragraph, title);
    }

    public static Citation cis(String section, String title) {
        return new Citation(Framework.CIS_KUBERNETES, section, title);
    }

    public static Citation nist800190(String section, String title) {
        return new Citation(Framework.NIST_800_190, "NIST SP 800-190 " + section, title);
    }

    public static Citation nist80066(String section, String title) {
        return new Citation(Framework.NIST_800_66, "NIST SP 800-66r2 " + section, title);
    }

    @Override
    public String toString() {
        return (framework == Framework.CIS_KUBERNETES ? "CIS Kubernetes " : "") + reference + " " + title;
    }
}

package dev.phiguard.report;

import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Citation;
import dev.phiguard.compliance.ControlInfo;
import dev.phiguard.compliance.ControlResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.eval.Connection;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.IpSet;
import dev.phiguard.model.LabelSelector;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.PortMatcher;
import dev.phiguard.model.Profile;
import dev.phiguard.model.Severity;
import dev.phiguard.model.SourceRef;
import dev.phiguard.model.WorkloadId;
import dev.phiguard.model.WorkloadSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The audit as a Markdown report for a compliance officer to hand to an auditor: verdict, scope,
 * inputs with their SHA-256 digests, tool version, date, the profile, then every control with its
 * status, citations, rationale, evidence and findings, each finding with its proof and fix.
 *
 * <p>{@link AuditHtmlFormatter} writes the same report, section for section; the wording both
 * share lives here, written through a {@link Markup} so each format escapes what it must.
 */
public final class AuditMarkdownFormatter implements AuditFormatter {
    static final String TITLE = "HIPAA network audit";
    static final String LEDE = "phiguard checked the Kubernetes NetworkPolicies declared in the manifests listed"
            + " under Inputs against the technical safeguards of the HIPAA Security Rule (45 CFR 164.312), the"
            + " CIS Kubernetes Benchmark (5.3) and NIST SP 800-190 and SP 800-66r2, with the profile below"
            + " saying which workloads hold protected health information (PHI) and who may reach them.";
    static final String FOOTER = "The report states a date only when one is given (--date): the same inputs and"
            + " profile produce the same report, byte for byte.";
    private static final Markup MARKDOWN = new Markup() {
        @Override
        public String text(String text) {
            return escape(text);
        }

        @Override
        public String code(String text) {
            return AuditMarkdownFormatter.code(text);
        }
    };

    /** How a format writes plain text and code; both return text ready to put in the document. */
    interface Markup {
        String text(String text);

        String code(String text);
    }

    /** A table: its column headers and its rows, cells already written in the target format. */
    record Table(List<String> headers, List<List<String>> rows) {
    }

    @Override
    public String format(AuditReport report) {
        AuditResult result = report.result();
        StringBuilder out = new StringBuilder();
        out.append("# ").append(escape(title(result))).append("\n\n");
        out.append(escape(LEDE)).append("\n\n");
        out.append("- **Result:** **").append(verdictWord(result)).append("**, ").append(escape(verdict(result)))
                .append('\n');
        out.append("- **Controls:** ").append(escape(controlCounts(result))).append('\n');
        out.append("- **Date:** ").append(escape(date(report))).append('\n');
        out.append("- **Tool:** ").append(escape("phiguard " + report.toolVersion())).append('\n');
        out.append("- **Profile:** ").append(escape(result.profile().name())).append(", read from ")
                .append(code(report.profileSource())).append("\n\n");

        out.append("## Contents\n\n");
        out.append("1. [Summary](#summary)\n2. [Scope](#scope)\n3. [Inputs](#inputs)\n4. [Profile](#profile)\n")
                .append("5. [Controls](#controls)\n");
        for (ControlResult control : result.controls()) {
            ControlInfo info = control.control();
            out.append("   - [").append(info.id()).append(' ').append(escape(info.title())).append("](#")
                    .append(anchor(info.id())).append("): ").append(statusWord(control.status())).append('\n');
            for (Finding finding : findings(result, control)) {
                out.append("     - [").append(finding.id()).append("](#").append(anchor(finding.id())).append("): ")
                        .append(finding.severity().label()).append(", namespace ")
                        .append(escape(finding.namespace())).append('\n');
            }
        }
        out.append('\n');

        out.append("## <a id=\"summary\"></a>Summary\n\n");
        out.append("**").append(verdictWord(result)).append("**: ").append(escape(verdict(result))).append(". ")
                .append(escape(threshold(result))).append("\n\n");
        table(out, severityTable(result, Severity::label));
        out.append('\n');
        table(out, controlTable(result, MARKDOWN, id -> "[" + id + "](#" + anchor(id) + ")",
                status -> "**" + statusWord(status) + "**", Severity::label));
        out.append('\n');

        out.append("## <a id=\"scope\"></a>Scope\n\n");
        out.append(escape(scope(result))).append("\n\n");
        table(out, phiTable(result, MARKDOWN));
        out.append('\n');

        out.append("## <a id=\"inputs\"></a>Inputs\n\n");
        out.append(escape(inputsIntro(report))).append("\n\n");
        table(out, inputTable(report, MARKDOWN));
        out.append('\n');

        out.append("## <a id=\"profile\"></a>Profile\n\n");
        out.append("**").append(escape(result.profile().name())).append("**, read from ")
                .append(code(report.profileSource())).append(".\n\n");
        table(out, profileTable(result, MARKDOWN));
        out.append("\n### Clients allowed to reach PHI\n\n");
        tableOrNone(out, clientTable(result.profile(), MARKDOWN), "No client outside the PHI workloads may reach them.");
        out.append("\n### Gateways\n\n");
        tableOrNone(out, gatewayTable(result.profile(), MARKDOWN),
                "No gateway: nothing outside the cluster may reach a PHI workload.");
        out.append("\n### External destinations\n\n");
        tableOrNone(out, destinationTable(result.profile(), MARKDOWN),
                "No external destination: PHI workloads may not connect outside the cluster.");
        out.append('\n');

        out.append("## <a id=\"controls\"></a>Controls\n");
        for (ControlResult control : result.controls()) {
            control(out, result, control);
        }
        out.append("\n---\n\n").append(escape("Generated by phiguard " + report.toolVersion() + ". " + FOOTER))
                .append('\n');
        return out.toString();
    }

    private static void control(StringBuilder out, AuditResult result, ControlResult control) {
        ControlInfo info = control.control();
        out.append("\n### <a id=\"").append(anchor(info.id())).append("\"></a>").append(info.id()).append(' ')
                .append(escape(info.title())).append("\n\n");
        out.append("**").append(statusWord(control.status())).append("**, severity **")
                .append(info.severity().label()).append("**, ").append(code(info.name()));
        if (control.status() == ControlResult.Status.FAIL) {
            out.append(", ").append(AuditTextFormatter.plural(control.findings().size(), "finding"));
        }
        out.append("\n\n");
        out.append("- **Cites:**\n");
        for (Citation citation : info.citations()) {
            out.append("  - ").append(escape(citation(citation))).append('\n');
        }
        out.append("- **Why it matters:** ").append(escape(info.rationale())).append('\n');
        if (control.status() == ControlResult.Status.NOT_ASSESSED) {
            out.append("- **Not assessed:** ").append(escape(control.reason())).append('\n');
        } else {
            out.append("- **Evidence checked:**");
            if (control.evidence().isEmpty()) {
                out.append(" none recorded\n");
            } else {
                out.append('\n');
                control.evidence().forEach(line -> out.append("  - ").append(escape(line)).append('\n'));
            }
        }
        for (Finding finding : findings(result, control)) {
            finding(out, finding);
        }
    }

    private static void finding(StringBuilder out, Finding finding) {
        out.append("\n#### <a id=\"").append(anchor(finding.id())).append("\"></a>").append(finding.id())
                .append(": ").append(finding.severity().label()).append(", namespace ")
                .append(escape(finding.namespace())).append("\n\n");
        out.append("- **Finding:** ").append(escape(finding.message())).append('\n');
        out.append("- **Location:** ").append(location(finding.location(), MARKDOWN)).append('\n');
        if (!finding.workloads().isEmpty()) {
            out.append("- **Workloads:** ").append(join(finding.workloads().stream().map(WorkloadId::toString)
                    .map(AuditMarkdownFormatter::code).toList())).append('\n');
        }
        if (!finding.connections().isEmpty()) {
            out.append("- **Connections:**\n");
            for (Connection connection : finding.connections()) {
                out.append("  - ").append(code(connection.toString())).append('\n');
            }
        }
        if (!finding.rules().isEmpty()) {
            out.append("- **Rules involved:**\n");
            for (RuleRef rule : finding.rules()) {
                out.append("  - ").append(rule(rule, MARKDOWN)).append('\n');
            }
        }
        out.append("- **Remediation:** ").append(escape(finding.remediation().text())).append('\n');
        for (NetworkPolicy policy : finding.remediation().policies()) {
            String yaml = NetworkPolicyYaml.write(policy);
            String fence = fence(yaml);
            out.append("\nProposed NetworkPolicy ").append(code(policy.namespacedName())).append(":\n\n")
                    .append(fence).append("yaml\n").append(yaml).append(yaml.endsWith("\n") ? "" : "\n")
                    .append(fence).append('\n');
        }
    }

    private static void table(StringBuilder out, Table table) {
        out.append("| ").append(String.join(" | ", table.headers())).append(" |\n");
        out.append("|").append(" --- |".repeat(table.headers().size())).append('\n');
        for (List<String> row : table.rows()) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
    }

    private static void tableOrNone(StringBuilder out, Table table, String none) {
        if (table.rows().isEmpty()) {
            out.append(escape(none)).append('\n');
        } else {
            table(out, table);
        }
    }

    // ---- wording shared with AuditHtmlFormatter ----

    static String title(AuditResult result) {
        return TITLE + ": profile " + result.profile().name();
    }

    static String verdictWord(AuditResult result) {
        return result.failed() ? "FAIL" : "PASS";
    }

    /** {@code 9 findings: 7 high, 1 medium, 1 low}. */
    static String verdict(AuditResult result) {
        Map<Severity, Integer> counts = result.countBySeverity();
        int total = result.findings().size();
        List<String> parts = new ArrayList<>();
        for (Severity severity : Severity.values()) {
            if (counts.get(severity) > 0) {
                parts.add(counts.get(severity) + " " + severity.label());
            }
        }
        return AuditTextFormatter.plural(total, "finding") + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }

    static String threshold(AuditResult result) {
        return result.failOn().map(severity -> "The audit fails when a finding is " + severity.label()
                + (severity == Severity.CRITICAL ? "." : " or more severe.")).orElse("The audit fails on no finding"
                + " (failOn: none); findings are reported only.");
    }

    static String controlCounts(AuditResult result) {
        return result.count(ControlResult.Status.PASS) + " passed, " + result.count(ControlResult.Status.FAIL)
                + " failed, " + result.count(ControlResult.Status.NOT_ASSESSED) + " not assessed (of "
                + result.controls().size() + ")";
    }

    static String date(AuditReport report) {
        return report.date().orElse("not stated (use --date)");
    }

    static String statusWord(ControlResult.Status status) {
        return status.label().toUpperCase(Locale.ROOT);
    }

    static String scope(AuditResult result) {
        AuditResult.Scope scope = result.scope();
        return "The audit covers what the manifests under Inputs declare: "
                + AuditTextFormatter.plural(scope.namespaces(), "namespace") + ", "
                + AuditTextFormatter.plural(scope.workloads(), "workload") + " and "
                + AuditTextFormatter.plural(scope.policies(), "NetworkPolicy", "NetworkPolicies") + ". Under the"
                + " profile, " + AuditTextFormatter.plural(scope.phiWorkloads(), "workload") + " in "
                + AuditTextFormatter.plural(scope.phiNamespaces(), "namespace") + " hold PHI, listed below with"
                + " the reason each counts. The audit judges declared policy, not a running cluster: controls"
                + " only a live cluster can show are reported as not assessed, never as passed.";
    }

    static String inputsIntro(AuditReport report) {
        return AuditTextFormatter.plural(report.inputs().size(), "input was", "inputs were") + " read. Each SHA-256"
                + " digest identifies the exact bytes audited; sha256sum FILE recomputes it.";
    }

    /** {@code HIPAA Security Rule 45 CFR 164.312(a)(1): Access control}. */
    static String citation(Citation citation) {
        return citationReference(citation) + ": " + citation.title();
    }

    /** The reference with its framework: {@code CIS Kubernetes Benchmark 5.3.2}, {@code NIST SP 800-190 4.3.3}. */
    static String citationReference(Citation citation) {
        String framework = citation.framework().displayName();
        return citation.reference().startsWith(framework) ? citation.reference()
                : framework + " " + citation.reference();
    }

    /** The findings of one control, in report order (most severe first). */
    static List<Finding> findings(AuditResult result, ControlResult control) {
        return result.findings().stream().filter(f -> f.controlId().equals(control.control().id())).toList();
    }

    /** An id usable as an HTML id and URL fragment: lower case letters, digits and hyphens. */
    static String anchor(String id) {
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    static String location(SourceRef location, Markup markup) {
        return location.file().isEmpty() ? markup.text("not in the manifests") : markup.code(location.toString());
    }

    static String rule(RuleRef rule, Markup markup) {
        String text = markup.code(rule.toString());
        return rule.ruleSource().file().isEmpty() ? text : text + markup.text(" at ") + markup.code(
                rule.ruleSource().toString());
    }

    static Table severityTable(AuditResult result, Function<Severity, String> label) {
        List<List<String>> rows = new ArrayList<>();
        result.countBySeverity().forEach((severity, count) -> rows.add(List.of(label.apply(severity),
                Integer.toString(count))));
        return new Table(List.of("Severity", "Findings"), rows);
    }

    static Table controlTable(AuditResult result, Markup markup, Function<String, String> link,
            Function<ControlResult.Status, String> status, Function<Severity, String> severity) {
        List<List<String>> rows = new ArrayList<>();
        for (ControlResult control : result.controls()) {
            ControlInfo info = control.control();
            rows.add(List.of(link.apply(info.id()), markup.text(info.title()), severity.apply(info.severity()),
                    status.apply(control.status()), Integer.toString(control.findings().size())));
        }
        return new Table(List.of("Control", "Title", "Severity", "Status", "Findings"), rows);
    }

    static Table phiTable(AuditResult result, Markup markup) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<WorkloadId, String> entry : result.phiWorkloads().entrySet()) {
            rows.add(List.of(markup.code(entry.getKey().toString()), markup.text(entry.getValue())));
        }
        if (rows.isEmpty()) {
            rows.add(List.of(markup.text("none"), markup.text("no workload matches the profile's PHI selectors"
                    + " or carries the annotation " + Profile.PHI_ANNOTATION + ": \"true\"")));
        }
        return new Table(List.of("PHI workload", "Why it counts as PHI"), rows);
    }

    static Table inputTable(AuditReport report, Markup markup) {
        List<List<String>> rows = new ArrayList<>();
        for (AuditReport.Input input : report.inputs()) {
            rows.add(List.of(markup.code(input.path()), markup.code(input.sha256())));
        }
        return new Table(List.of("File", "SHA-256"), rows);
    }

    static Table profileTable(AuditResult result, Markup markup) {
        Profile profile = result.profile();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(markup.text("PHI by annotation"), markup.text("workloads, pod templates and namespaces"
                + " annotated ") + markup.code(Profile.PHI_ANNOTATION + ": \"true\"")));
        rows.add(List.of(markup.text("PHI namespaces by label"), selectors(profile.phiNamespaces(), markup)));
        rows.add(List.of(markup.text("PHI pods by label"), selectors(profile.phiWorkloads(), markup)));
        rows.add(List.of(markup.text("Clients"), markup.text(count(profile.clients().size(), "client",
                "clients"))));
        rows.add(List.of(markup.text("Gateways"), markup.text(count(profile.gateways().size(), "gateway",
                "gateways"))));
        rows.add(List.of(markup.text("External destinations"), markup.text(count(
                profile.externalDestinations().size(), "destination", "destinations"))));
        rows.add(List.of(markup.text("Encrypted ports"), profile.encryptedPorts().isEmpty() ? markup.text("none")
                : join(profile.encryptedPorts().stream().map(port -> markup.code(port.toString())).toList())));
        rows.add(List.of(markup.text("Cluster DNS"), workloads(profile.dns().workloads(), markup)
                + markup.text(" on ") + ports(profile.dns().ports(), markup)));
        rows.add(List.of(markup.text("Fails on"), markup.text(result.failOn().map(s -> s.label() + " and above")
                .orElse("none (findings never fail the audit)"))));
        return new Table(List.of("Setting", "Value"), rows);
    }

    static Table clientTable(Profile profile, Markup markup) {
        List<List<String>> rows = new ArrayList<>();
        for (Profile.Client client : profile.clients()) {
            rows.add(List.of(markup.text(client.name()), workloads(client.from(), markup),
                    client.to().map(to -> workloads(to, markup)).orElse(markup.text("any PHI workload")),
                    ports(client.ports(), markup), markup.text(client.plaintext() ? "yes" : "no")));
        }
        return new Table(List.of("Client", "From", "To", "Ports", "Unencrypted allowed"), rows);
    }

    static Table gatewayTable(Profile profile, Markup markup) {
        List<List<String>> rows = new ArrayList<>();
        for (Profile.Gateway gateway : profile.gateways()) {
            rows.add(List.of(markup.text(gateway.name()), workloads(gateway.workloads(), markup),
                    addresses(gateway.from(), markup), ports(gateway.ports(), markup)));
        }
        return new Table(List.of("Gateway", "PHI workloads", "From", "Ports"), rows);
    }

    static Table destinationTable(Profile profile, Markup markup) {
        List<List<String>> rows = new ArrayList<>();
        for (Profile.ExternalDestination destination : profile.externalDestinations()) {
            rows.add(List.of(markup.text(destination.name()),
                    join(destination.cidrs().stream().map(markup::code).toList()),
                    ports(destination.ports(), markup)));
        }
        return new Table(List.of("Destination", "CIDRs", "Ports"), rows);
    }

    /** {@code pods app=db in namespaces team=x}, with "any" for empty selectors. */
    static String workloads(WorkloadSelector selector, Markup markup) {
        boolean anyNamespace = selector.namespaceSelector().isEmpty();
        boolean anyPod = selector.podSelector().isEmpty();
        if (anyNamespace && anyPod) {
            return markup.text("any workload");
        }
        String pods = anyPod ? markup.text("every pod") : markup.text("pods ")
                + markup.code(selector.podSelector().toString());
        String namespaces = anyNamespace ? markup.text(" in any namespace") : markup.text(" in namespaces ")
                + markup.code(selector.namespaceSelector().toString());
        return pods + namespaces;
    }

    static String selectors(List<LabelSelector> selectors, Markup markup) {
        return selectors.isEmpty() ? markup.text("none")
                : join(selectors.stream().map(selector -> markup.code(selector.toString())).toList());
    }

    static String ports(List<PortMatcher> ports, Markup markup) {
        return ports.isEmpty() ? markup.text("any port")
                : join(ports.stream().map(port -> markup.code(port.toString())).toList());
    }

    static String addresses(IpSet addresses, Markup markup) {
        return addresses.equals(IpSet.ALL) ? markup.text("any address") : markup.code(addresses.toString());
    }

    private static String count(int n, String singular, String pluralForm) {
        return n == 0 ? "none" : AuditTextFormatter.plural(n, singular, pluralForm) + ", listed below";
    }

    private static String join(List<String> parts) {
        return parts.stream().collect(Collectors.joining(", "));
    }

    // ---- Markdown escaping ----

    /**
     * Text as Markdown shows it literally: every character CommonMark could read as emphasis,
     * HTML, an entity or a table cell is backslash-escaped, as is the {@code ]} of a would-be
     * inline link {@code [text](url)}; line breaks become spaces, so text from manifests can
     * neither start a block of its own nor define a link reference. Brackets otherwise stay as
     * they are, so that {@code ns/name[Kind]} reads as itself in the source too.
     */
    static String escape(String text) {
        String clean = AuditJunitFormatter.clean(text);
        StringBuilder out = new StringBuilder(clean.length() + 8);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            switch (c) {
                case '\\', '`', '*', '_', '<', '>', '|', '&', '~' -> out.append('\\').append(c);
                case ']' -> out.append(i + 1 < clean.length() && clean.charAt(i + 1) == '(' ? "\\]" : "]");
                case '\n', '\r' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A code span that holds {@code text} whatever backticks it contains; pipes escaped for tables. */
    static String code(String text) {
        String clean = AuditJunitFormatter.clean(text).replace('\n', ' ').replace('\r', ' ');
        int longest = longestRun(clean, '`');
        String ticks = "`".repeat(longest + 1);
        String pad = clean.startsWith("`") || clean.endsWith("`") || clean.isBlank() ? " " : "";
        return ticks + pad + clean.replace("|", "\\|") + pad + ticks;
    }

    /** A code fence longer than any run of backticks in the text, so the text cannot close it. */
    private static String fence(String text) {
        return "`".repeat(Math.max(3, longestRun(text, '`') + 1));
    }

    private static int longestRun(String text, char c) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == c ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}

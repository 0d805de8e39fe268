package dev.phiguard.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Citation;
import dev.phiguard.compliance.ControlInfo;
import dev.phiguard.compliance.ControlResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.eval.Connection;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.Severity;
import dev.phiguard.model.SourceRef;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The audit as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one rule per
 * control of the catalogue, one result per finding at its manifest file and line.
 *
 * <p>Results carry the finding id as the {@code phiguard/v1} partial fingerprint, so a viewer
 * tracks a finding across runs even when lines move. Paths stay as given, relative to where
 * phiguard ran ({@code %SRCROOT%}): run it from the repository root for GitHub to place them.
 * A finding with no manifest file (an object phiguard generated, a live cluster) points at the
 * first input file, or has only a logical location (its namespace) when there is none. Controls
 * not assessed are notes of the invocation. No timestamp unless the report has a date, and then
 * only the date, in the run's properties.
 */
public final class AuditSarifFormatter implements AuditFormatter {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    public static final String VERSION = "2.1.0";
    /** The key of {@code partialFingerprints} whose value is the finding id. */
    public static final String FINGERPRINT = "phiguard/v1";
    static final String SRCROOT = "%SRCROOT%";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> TAGS = List.of("security", "hipaa", "kubernetes", "networkpolicy");

    @Override
    public String format(AuditReport report) {
        return AuditJsonFormatter.write(tree(report));
    }

    /** The document, before it is written: what {@link AuditHygiene} puts beside another. */
    ObjectNode tree(AuditReport report) {
        AuditResult result = report.result();
        ObjectNode root = JSON.objectNode();
        root.put("$schema", SCHEMA);
        root.put("version", VERSION);
        ObjectNode run = root.putArray("runs").addObject();

        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "phiguard");
        driver.put("version", report.toolVersion());
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new HashMap<>();
        for (ControlResult control : result.controls()) {
            ruleIndex.put(control.control().id(), rules.size());
            rules.add(rule(control.control()));
        }

        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        ArrayNode notes = JSON.arrayNode();
        for (ControlResult control : result.controls()) {
            if (control.status() == ControlResult.Status.NOT_ASSESSED) {
                ObjectNode note = notes.addObject();
                note.put("level", "note");
                note.putObject("message").put("text", sentence(control.control().id() + " "
                        + control.control().name() + ": not assessed (" + control.reason() + ")"));
                ObjectNode associated = note.putObject("associatedRule");
                associated.put("id", control.control().id());
                associated.put("index", ruleIndex.get(control.control().id()));
            }
        }
        if (!notes.isEmpty()) {
            invocation.set("toolExecutionNotifications", notes);
        }

        ArrayNode artifacts = run.putArray("artifacts");
        for (AuditReport.Input input : report.inputs()) {
            ObjectNode artifact = artifacts.addObject();
            if (isFile(input.path())) {
                artifact.set("location", artifactLocation(input.path()));
            } else {
                artifact.putObject("description").put("text", input.path());
            }
            artifact.putArray("roles").add("analysisTarget");
            artifact.putObject("hashes").put("sha-256", input.sha256());
        }

        Optional<String> fallbackFile = report.inputs().stream().map(AuditReport.Input::path)
                .filter(AuditSarifFormatter::isFile).findFirst();
        ArrayNode results = run.putArray("results");
        NetworkPolicyYaml.Rendered rendered = new NetworkPolicyYaml.Rendered();
        for (Finding finding : result.findings()) {
            results.add(result(finding, ruleIndex.get(finding.controlId()), fallbackFile, rendered));
        }

        run.put("columnKind", "unicodeCodePoints");
        run.set("properties", runProperties(report));
        return root;
    }

    /** The SARIF level of a severity: critical and high are errors, medium warnings, the rest notes. */
    static String level(Severity severity) {
        return switch (severity) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    /** GitHub's {@code security-severity} score of a severity; none for info, which is not a security alert. */
    static Optional<String> securitySeverity(Severity severity) {
        return switch (severity) {
            case CRITICAL -> Optional.of("9.5");
            case HIGH -> Optional.of("8.0");
            case MEDIUM -> Optional.of("5.5");
            case LOW -> Optional.of("3.0");
            case INFO -> Optional.empty();
        };
    }

    /** {@code phi-namespace-default-deny} as {@code PhiNamespaceDefaultDeny}, the form SARIF rule names take. */
    static String pascalCase(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    /**
     * A manifest path as a URI reference: forward slashes, each segment percent-encoded, relative
     * paths kept relative and absolute ones as {@code file:} URIs.
     */
    static String uri(String path) {
        String slashed = path.replace('\\', '/');
        boolean drive = slashed.length() >= 3 && Character.isLetter(slashed.charAt(0)) && slashed.charAt(1) == ':'
                && slashed.charAt(2) == '/';
        if (drive) {
            return "file:///" + slashed.substring(0, 2) + encodePath(slashed.substring(2));
        }
        if (slashed.startsWith("/")) {
            return "file://" + encodePath(slashed);
        }
        while (slashed.startsWith("./")) {
            slashed = slashed.substring(2);
        }
        return encodePath(slashed);
    }

    /**
     * True for a path that names a file, false for placeholders such as {@code <stdin>}, objects
     * of a live cluster ({@code cluster:CONTEXT/Kind/namespace/name}) or none at all.
     */
    static boolean isFile(String path) {
        return !path.isEmpty() && !path.startsWith("<") && !isLive(path);
    }

    /** A live object has no file to point at: it is a logical location, named as phiguard names it. */
    static boolean isLive(String path) {
        return path.startsWith("cluster:");
    }

    /**
     * {@code namespace/name} of a live object ({@code name} for a cluster-scoped one), read from
     * the end because contexts may hold slashes (EKS names them by ARN). Kinds are capitalised
     * and namespaces never are, which tells the two apart.
     */
    static String liveName(String path) {
        String[] segments = path.split("/");
        if (segments.length < 3) {
            return path;
        }
        String last = segments[segments.length - 1];
        String before = segments[segments.length - 2];
        return Character.isUpperCase(before.charAt(0)) ? last : before + "/" + last;
    }

    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~/".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static ObjectNode rule(ControlInfo control) {
        ObjectNode rule = JSON.objectNode();
        rule.put("id", control.id());
        rule.put("name", pascalCase(control.name()));
        rule.putObject("shortDescription").put("text", sentence(control.title()));
        rule.putObject("fullDescription").put("text", sentence(control.rationale()));
        ObjectNode help = rule.putObject("help");
        help.put("text", helpText(control));
        help.put("markdown", helpMarkdown(control));
        rule.putObject("defaultConfiguration").put("level", level(control.severity()));
        ObjectNode properties = rule.putObject("properties");
        ArrayNode tags = properties.putArray("tags");
        TAGS.forEach(tags::add);
        securitySeverity(control.severity()).ifPresent(score -> properties.put("security-severity", score));
        properties.put("precision", "very-high");
        properties.put("severity", control.severity().label());
        properties.put("controlName", control.name());
        properties.put("needsCluster", control.needsCluster());
        ArrayNode citations = properties.putArray("citations");
        control.citations().forEach(citation -> citations.add(citation.toString()));
        return rule;
    }

    private static String helpText(ControlInfo control) {
        StringBuilder text = new StringBuilder();
        text.append(control.id()).append(' ').append(sentence(control.title())).append("\n\n")
                .append(sentence(control.rationale())).append("\n\nCitations:\n");
        for (Citation citation : control.citations()) {
            text.append("- ").append(citation).append('\n');
        }
        text.append('\n').append(remediationGuidance(control));
        return text.toString();
    }

    private static String helpMarkdown(ControlInfo control) {
        StringBuilder text = new StringBuilder();
        text.append("**").append(control.id()).append("** ").append(sentence(control.title())).append("\n\n")
                .append(sentence(control.rationale())).append("\n\n**Citations**\n\n");
        for (Citation citation : control.citations()) {
            text.append("- ").append(citation).append('\n');
        }
        text.append("\n**Remediation**\n\n").append(remediationGuidance(control));
        return text.toString();
    }

    private static String remediationGuidance(ControlInfo control) {
        if (control.needsCluster()) {
            return "This control needs a live cluster (--cluster): from manifests alone it is reported as not assessed,"
                    + " never as passed.";
        }
        return "Each result states its fix after \"Fix:\". Where a NetworkPolicy fixes it, the result's"
                + " remediationPolicies property holds the policy, ready to apply;"
                + " phiguard audit --fix-dir DIR writes them all, and auditing again with DIR clears those results.";
    }

    private static ObjectNode result(Finding finding, int ruleIndex, Optional<String> fallbackFile,
            NetworkPolicyYaml.Rendered rendered) {
        ObjectNode result = JSON.objectNode();
        result.put("ruleId", finding.controlId());
        result.put("ruleIndex", ruleIndex);
        result.put("level", level(finding.severity()));
        String fix = finding.remediation().text().isBlank() ? "" : " Fix: " + sentence(finding.remediation().text());
        result.putObject("message").put("text", sentence(finding.message()) + fix);

        ObjectNode location = result.putArray("locations").addObject();
        SourceRef source = finding.location();
        if (isFile(source.file())) {
            location.set("physicalLocation", physicalLocation(source));
        } else if (fallbackFile.isPresent() && !isLive(source.file())) {
            location.set("physicalLocation", physicalLocation(SourceRef.of(fallbackFile.get())));
        }
        if (isLive(source.file())) {
            ObjectNode logical = location.putArray("logicalLocations").addObject();
            logical.put("name", liveName(source.file()));
            logical.put("fullyQualifiedName", source.file());
            logical.put("kind", "resource");
        } else if (!finding.namespace().isEmpty()) {
            ObjectNode logical = location.putArray("logicalLocations").addObject();
            logical.put("name", finding.namespace());
            logical.put("kind", "namespace");
        }

        result.putObject("partialFingerprints").put(FINGERPRINT, finding.id());

        if (!finding.rules().isEmpty()) {
            ArrayNode related = result.putArray("relatedLocations");
            for (RuleRef rule : finding.rules()) {
                ObjectNode item = related.addObject();
                item.put("id", related.size() - 1);
                if (isFile(rule.ruleSource().file())) {
                    item.set("physicalLocation", physicalLocation(rule.ruleSource()));
                }
                ObjectNode logical = item.putArray("logicalLocations").addObject();
                logical.put("name", rule.policy());
                logical.put("fullyQualifiedName", rule.toString());
                logical.put("kind", "resource");
                item.putObject("message").put("text", "The policy rule " + rule + " is involved.");
            }
        }

        ObjectNode properties = result.putObject("properties");
        properties.put("findingId", finding.id());
        properties.put("severity", finding.severity().label());
        properties.put("namespace", finding.namespace());
        ArrayNode workloads = properties.putArray("workloads");
        finding.workloads().forEach(id -> workloads.add(id.toString()));
        ArrayNode connections = properties.putArray("connections");
        for (Connection connection : finding.connections()) {
            connections.add(connection.toString());
        }
        rendered.addTo(properties.putArray("remediationPolicies"), finding.remediation().policies());
        return result;
    }

    static ObjectNode physicalLocation(SourceRef source) {
        ObjectNode physical = JSON.objectNode();
        physical.set("artifactLocation", artifactLocation(source.file()));
        if (source.hasLine()) {
            ObjectNode region = physical.putObject("region");
            region.put("startLine", source.line());
            if (source.column() > 0) {
                region.put("startColumn", source.column());
            }
        }
        return physical;
    }

    private static ObjectNode artifactLocation(String path) {
        ObjectNode location = JSON.objectNode();
        String uri = uri(path);
        location.put("uri", uri);
        if (!uri.startsWith("file:")) {
            location.put("uriBaseId", SRCROOT);
        }
        return location;
    }

    private static ObjectNode runProperties(AuditReport report) {
        AuditResult result = report.result();
        ObjectNode properties = JSON.objectNode();
        report.date().ifPresent(date -> properties.put("date", date));
        ObjectNode profile = properties.putObject("profile");
        profile.put("name", result.profile().name());
        profile.put("source", report.profileSource());
        properties.put("failOn", result.failOn().map(Severity::label).orElse("none"));
        properties.put("result", result.failed() ? "fail" : "pass");
        ObjectNode controls = properties.putObject("controls");
        ArrayNode passed = controls.putArray("pass");
        ArrayNode failed = controls.putArray("fail");
        ArrayNode notAssessed = controls.putArray("notAssessed");
        for (ControlResult control : result.controls()) {
            switch (control.status()) {
                case PASS -> passed.add(control.control().id());
                case FAIL -> failed.add(control.control().id());
                case NOT_ASSESSED -> notAssessed.add(control.control().id());
            }
        }
        return properties;
    }

    /** Text ending with a full stop, as SARIF messages should. */
    static String sentence(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.endsWith(".") || trimmed.endsWith("!") || trimmed.endsWith("?")) {
            return trimmed;
        }
        return trimmed + ".";
    }
}

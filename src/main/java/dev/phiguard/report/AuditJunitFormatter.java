package dev.phiguard.report;

import dev.phiguard.compliance.AuditResult;
import dev.phiguard.compliance.Citation;
import dev.phiguard.compliance.ControlInfo;
import dev.phiguard.compliance.ControlResult;
import dev.phiguard.compliance.Finding;
import dev.phiguard.eval.Connection;
import dev.phiguard.eval.RuleRef;
import dev.phiguard.model.NetworkPolicy;
import dev.phiguard.model.Severity;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The audit as JUnit XML (the Ant/Surefire schema CI systems read): one test case per control
 * and namespace with findings, failing with the findings' evidence; one per control as a whole
 * when it passed (the evidence checked as {@code system-out}) or was not assessed (skipped).
 */
public final class AuditJunitFormatter implements AuditFormatter {
    /** The namespace label of a test case about a control as a whole. */
    static final String ALL_NAMESPACES = "all namespaces";

    /** One test case: a control, in a namespace or as a whole. */
    private record Case(ControlResult control, String scope, List<Finding> findings) {
        boolean failed() {
            return !findings.isEmpty();
        }

        boolean skipped() {
            return control.status() == ControlResult.Status.NOT_ASSESSED;
        }
    }

    @Override
    public String format(AuditReport report) {
        AuditResult result = report.result();
        List<Case> cases = cases(result);
        long failures = cases.stream().filter(Case::failed).count();
        long skipped = cases.stream().filter(Case::skipped).count();
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            newline(xml, 0);
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "phiguard audit");
            counts(xml, cases.size(), failures, skipped);
            newline(xml, 1);
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "phiguard.audit." + clean(result.profile().name()));
            counts(xml, cases.size(), failures, skipped);
            properties(xml, report);
            for (Case testCase : cases) {
                testCase(xml, testCase);
            }
            newline(xml, 1);
            xml.writeEndElement();
            newline(xml, 0);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Writing XML to a string cannot fail", e);
        }
        return text + "\n";
    }

    /**
     * The test cases in catalogue order: per control, the whole-control case (passed, not
     * assessed, or failing without a namespace), then one per namespace with findings, by name.
     */
    private static List<Case> cases(AuditResult result) {
        List<Case> cases = new ArrayList<>();
        List<Finding> findings = result.findings();
        for (ControlResult control : result.controls()) {
            Map<String, List<Finding>> byNamespace = findings.stream()
                    .filter(finding -> finding.controlId().equals(control.control().id()))
                    .collect(Collectors.groupingBy(Finding::namespace, TreeMap::new, Collectors.toList()));
            List<Finding> clusterWide = byNamespace.remove("");
            if (control.status() != ControlResult.Status.FAIL || clusterWide != null) {
                cases.add(new Case(control, ALL_NAMESPACES, clusterWide == null ? List.of() : clusterWide));
            }
            byNamespace.forEach((namespace, group) -> cases.add(new Case(control, namespace, group)));
        }
        return cases;
    }

    private static void counts(XMLStreamWriter xml, long tests, long failures, long skipped)
            throws XMLStreamException {
        xml.writeAttribute("tests", Long.toString(tests));
        xml.writeAttribute("failures", Long.toString(failures));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", Long.toString(skipped));
    }

    private static void properties(XMLStreamWriter xml, AuditReport report) throws XMLStreamException {
        AuditResult result = report.result();
        newline(xml, 2);
        xml.writeStartElement("properties");
        property(xml, "phiguard.version", report.toolVersion());
        if (report.date().isPresent()) {
            property(xml, "phiguard.date", report.date().get());
        }
        property(xml, "phiguard.profile", result.profile().name());
        property(xml, "phiguard.profileSource", report.profileSource());
        property(xml, "phiguard.failOn", result.failOn().map(Severity::label).orElse("none"));
        property(xml, "phiguard.result", result.failed() ? "fail" : "pass");
        for (AuditReport.Input input : report.inputs()) {
            // the line sha256sum --check reads
            property(xml, "phiguard.input", input.sha256() + "  " + input.path());
        }
        newline(xml, 2);
        xml.writeEndElement();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        newline(xml, 3);
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", clean(name));
        xml.writeAttribute("value", clean(value));
    }

    private static void testCase(XMLStreamWriter xml, Case testCase) throws XMLStreamException {
        ControlInfo control = testCase.control().control();
        newline(xml, 2);
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", "phiguard." + control.id());
        xml.writeAttribute("name", clean(control.id() + " " + control.name() + " [" + testCase.scope() + "]"));
        if (testCase.failed()) {
            newline(xml, 3);
            xml.writeStartElement("failure");
            xml.writeAttribute("message", clean(failureMessage(testCase)));
            xml.writeAttribute("type", worst(testCase.findings()).label());
            xml.writeCharacters(clean(failureText(testCase)));
            xml.writeEndElement();
        } else if (testCase.skipped()) {
            newline(xml, 3);
            xml.writeEmptyElement("skipped");
            xml.writeAttribute("message", clean("not assessed: " + testCase.control().reason()));
        } else {
            newline(xml, 3);
            xml.writeStartElement("system-out");
            xml.writeCharacters(clean(passText(testCase.control())));
            xml.writeEndElement();
        }
        newline(xml, 2);
        xml.writeEndElement();
    }

    private static String failureMessage(Case testCase) {
        List<Finding> findings = testCase.findings();
        if (findings.size() == 1) {
            return findings.get(0).message();
        }
        return findings.size() + " findings in " + (testCase.scope().equals(ALL_NAMESPACES) ? "the cluster"
                : "namespace " + testCase.scope()) + "; first: " + findings.get(0).message();
    }

    private static Severity worst(List<Finding> findings) {
        return findings.stream().map(Finding::severity).min(Enum::compareTo).orElseThrow();
    }

    private static String failureText(Case testCase) {
        StringBuilder out = new StringBuilder("\n");
        header(out, testCase.control().control());
        for (Finding finding : testCase.findings()) {
            out.append('\n').append(finding.id()).append(" (").append(finding.severity().label()).append(')');
            if (!finding.location().file().isEmpty()) {
                out.append(" at ").append(finding.location());
            }
            out.append('\n');
            out.append("  ").append(finding.message()).append('\n');
            for (Connection connection : finding.connections()) {
                out.append("  connection: ").append(connection).append('\n');
            }
            for (RuleRef rule : finding.rules()) {
                out.append("  rule: ").append(rule);
                if (!rule.ruleSource().file().isEmpty()) {
                    out.append(" at ").append(rule.ruleSource());
                }
                out.append('\n');
            }
            out.append("  fix: ").append(finding.remediation().text()).append('\n');
            List<NetworkPolicy> policies = finding.remediation().policies();
            if (!policies.isEmpty()) {
                out.append("  proposed policies: ")
                        .append(String.join(", ", policies.stream().map(NetworkPolicy::namespacedName).toList()))
                        .append(" (phiguard audit --fix-dir DIR writes them)\n");
            }
        }
        return out.toString();
    }

    private static String passText(ControlResult control) {
        StringBuilder out = new StringBuilder("\n");
        header(out, control.control());
        out.append("Evidence:\n");
        if (control.evidence().isEmpty()) {
            out.append("  (nothing to check)\n");
        }
        control.evidence().forEach(line -> out.append("  ").append(line).append('\n'));
        return out.toString();
    }

    private static void header(StringBuilder out, ControlInfo control) {
        out.append(control.id()).append(' ').append(control.title()).append('\n');
        out.append("Severity: ").append(control.severity().label()).append('\n');
        for (Citation citation : control.citations()) {
            out.append("Cites: ").append(AuditMarkdownFormatter.citation(citation)).append('\n');
        }
    }

    private static void newline(XMLStreamWriter xml, int depth) throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(depth));
    }

    /**
     * The text without characters XML 1.0 cannot carry (control characters other than tab, line
     * feed and carriage return; unpaired surrogates), each replaced by U+FFFD: manifests may hold
     * them, and one would make the whole report unreadable.
     */
    static String clean(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
                if (ok) {
                    if (out != null) {
                        out.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            }
            if (!ok && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(ok ? c : '\uFFFD');
            }
        }
        return out == null ? text : out.toString();
    }
}

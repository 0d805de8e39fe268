package dev.phiguard.cli;

import dev.phiguard.compliance.Citation;
import dev.phiguard.compliance.ControlInfo;
import dev.phiguard.compliance.Controls;
import dev.phiguard.report.AuditJsonFormatter;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code phiguard controls}: the catalogue of controls. */
@Command(name = "controls",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "List the controls `phiguard audit` checks: id, severity, title, what each cites and why it"
                + " matters. Controls that need a live cluster are marked; from manifests they are reported as not"
                + " assessed, never as passed.")
public final class ControlsCommand implements Callable<Integer> {

    /** The output formats of this command. */
    enum Format {
        text,
        json
    }

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == Format.json ? json() : text());
        out.flush();
        return ExitCode.OK;
    }

    static String text() {
        StringBuilder text = new StringBuilder();
        for (ControlInfo control : Controls.catalogue()) {
            text.append(control.id()).append("  ").append(control.severity().label().toUpperCase(java.util.Locale.ROOT))
                    .append("  ").append(control.name()).append(control.needsCluster() ? "  (needs --cluster)" : "")
                    .append('\n');
            text.append("  ").append(control.title()).append('\n');
            for (Citation citation : control.citations()) {
                text.append("  - ").append(citation).append('\n');
            }
            text.append("  ").append(control.rationale()).append("\n\n");
        }
        return text.toString();
    }

    static String json() {
        com.fasterxml.jackson.databind.node.ObjectNode root =
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        root.put("schema", "phiguard.dev/controls/v1");
        com.fasterxml.jackson.databind.node.ArrayNode controls = root.putArray("controls");
        Controls.catalogue().forEach(control -> controls.add(AuditJsonFormatter.controlJson(control)));
        return AuditJsonFormatter.write(root);
    }
}

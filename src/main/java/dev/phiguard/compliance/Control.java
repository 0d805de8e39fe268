package dev.phiguard.compliance;

/** One compliance control: what it is, and the check that judges a cluster against it. */
public interface Control {

    ControlInfo info();

    ControlResult check(AuditContext context);
}

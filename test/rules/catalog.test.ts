// The catalog as `policypack list --json` shows it: every Pod Security Standards control is
// covered (with host namespaces as three rules), and every built-in profile has rules.

import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";

let printed = "";
await runCli(["list", "--json"], { out: (text) => (printed += text), err: () => {} });
const rules = JSON.parse(printed) as Array<{ id: string; profiles: string[]; references: { pss?: string } }>;

const pssRules = (control: string) => rules.filter((r) => r.references.pss === control).map((r) => r.id);
const profileRules = (profile: string) => rules.filter((r) => r.profiles.includes(profile)).map((r) => r.id);

describe("policypack list --json", () => {
  it("lists at least 60 rules", () => {
    expect(rules.length).toBeGreaterThanOrEqual(60);
  });

  it.each([
    // Baseline
    ["HostProcess", ["host-process"]],
    ["Host Namespaces", ["host-ipc", "host-network", "host-pid"]],
    ["Privileged Containers", ["privileged-containers"]],
    ["Capabilities", ["added-capabilities"]],
    ["HostPath Volumes", ["host-path-volumes"]],
    ["Host Ports", ["host-ports"]],
    ["AppArmor", ["apparmor"]],
    ["SELinux", ["selinux"]],
    ["/proc Mount Type", ["proc-mount"]],
    ["Seccomp", ["seccomp-unconfined"]],
    ["Sysctls", ["sysctls"]],
    // Restricted
    ["Volume Types", ["volume-types"]],
    ["Privilege Escalation (v1.8+)", ["privilege-escalation"]],
    ["Running as Non-root", ["run-as-non-root"]],
    ["Running as Non-root user (v1.23+)", ["run-as-non-root-user"]],
    ["Seccomp (v1.19+)", ["seccomp-restricted"]],
    ["Capabilities (v1.22+)", ["capabilities-restricted"]],
  ])("covers the Pod Security Standards control %s", (control, ids) => {
    expect(pssRules(control)).toEqual(ids);
  });

  it("puts every baseline rule in the restricted profile too (restricted includes baseline)", () => {
    expect(profileRules("pss-restricted")).toEqual(expect.arrayContaining(profileRules("pss-baseline")));
  });

  it.each(["pss-baseline", "pss-restricted", "best-practice", "rbac", "psp"])("has rules in the profile %s", (profile) => {
    expect(profileRules(profile).length).toBeGreaterThanOrEqual(4);
  });
});

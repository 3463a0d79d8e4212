/**
 * The sandbox says it is what a fresh `pulumi up` would lay. The infra program runs once under the
 * Pulumi mocks (the dev example stack); for every resource whose docs/coverage.md row names a check,
 * the seeded sandbox's inventory (agent/sandbox/inventory.ts, recorded by the seeds as they create)
 * must hold its counterpart, or NOT_LAID must say why the sandbox cannot lay it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { NOT_LAID, standsFor, type LaidResource } from "../../../agent/sandbox/inventory";
import { seedSandboxOrganization } from "../../../agent/sandbox/seed";
import type { CapturedResource } from "../../../harness/run-program";
import { useMoto } from "../../helpers/moto";
import { matches, rows } from "../../infra/coverage-table";
import { doc, runStack } from "../../infra/stack";
import type { AuditManifest, PolicyDocument } from "../../../baseline";

describe("the sandbox lays every audited resource the program lays", () => {
  const moto = useMoto({ reset: "file" });
  const table = rows();
  let audited: { resource: CapturedResource; checks: string[] }[] = [];
  let program: CapturedResource[] = [];
  let laid: LaidResource[] = [];
  let shared: NonNullable<AuditManifest["roles"]>["shared"] = [];
  beforeAll(async () => {
    const run = await runStack("dev");
    program = run.resources.filter((r) => r.custom);
    audited = program
      .map((resource) => ({ resource, checks: table.find((row) => matches(row, resource))?.checks ?? [] }))
      .filter((a) => a.checks.length > 0);
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    laid = sb.session.inventory.entries();
    shared = sb.manifest.roles!.shared;
  });

  it("the program lays audited resources and the seeds record what they lay", () => {
    expect(audited.length).toBeGreaterThan(30);
    expect(laid.length).toBeGreaterThan(10);
  });

  it("every audited resource is laid by a seed or declared not laid with the reason", () => {
    const missing = audited
      .filter(
        ({ resource }) => !laid.some((e) => standsFor(e, resource)) && !NOT_LAID.some((e) => standsFor(e, resource)),
      )
      .map(({ resource, checks }) => `${resource.type} ${resource.name} (audited by ${checks.join(", ")})`);
    expect(missing, "lay it in a seed (inventory.lay beside the create call) or declare it in NOT_LAID").toEqual([]);
  });

  it("every inventory entry stands for a resource the program lays, every declaration for an audited one", () => {
    const stale = [
      ...laid.filter((e) => !program.some((r) => standsFor(e, r))),
      ...NOT_LAID.filter((e) => !audited.some((a) => standsFor(e, a.resource))),
    ].map((e) => `${e.pulumiType} ${e.logicalName}`);
    expect(stale).toEqual([]);
  });

  it("lists what the sandbox does not lay, each with its reason, in the sandbox's README", () => {
    const readme = readFileSync(join(__dirname, "../../../agent/sandbox/README.md"), "utf8");
    for (const d of NOT_LAID) {
      expect(d.reason.length, `${d.pulumiType} ${d.logicalName}`).toBeGreaterThan(40);
      expect(readme, `agent/sandbox/README.md names ${d.logicalName}`).toContain(`\`${d.logicalName}\``);
    }
    expect(NOT_LAID.map((d) => d.logicalName)).toEqual([
      "detection-guardduty-*-organization",
      "detection-guardduty-*",
      "detection-securityhub-policy",
      "detection-securityhub-policy-root",
      "detection-securityhub-aggregator",
      "detection-config-aggregator-role",
      "detection-config-aggregator-role-policy",
      "detection-config-config-admin",
      "dns-query-logs-share-*",
      "dns-query-logs-share-config-*",
      "dns-query-logs-share-org-*",
    ]);
  });

  // The documents' accounts, buckets and keys differ; what each statement allows (Sid and actions) and every name must not.
  it.each([
    ["audit-agent-role", "audit-agent-role", "audit-agent-policy"],
    ["audit-state-machine-role", "audit-agent-states-role", "audit-agent-states-policy"],
    ["audit-schedule-role", "audit-agent-schedule-role", "audit-agent-schedule-policy"],
    ["athena-analyst-role", "athena-analyst-role", "athena-analyst-policy"],
  ])(
    "roles.shared %s: the sandbox lays the role infra lays, the same statements in its trust and inline policy",
    (entry, roleRes, policyRes) => {
      const shape = (d: PolicyDocument) =>
        d.Statement.map((st) => [st.Sid, st.Effect, st.Principal ?? null, [st.Action ?? []].flat()]);
      const role = program.find((r) => r.type === "aws:iam/role:Role" && r.name === roleRes)!;
      const inline = program.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === policyRes)!;
      const mine = shared.find((x) => x.name === entry)!;
      expect(mine.roleName).toBe(role.inputs.name);
      expect(mine.managedPolicyArns).toEqual([]);
      expect(Object.keys(mine.inlinePolicies)).toEqual([inline.inputs.name]);
      const principals = (d: PolicyDocument) =>
        shape(d).map(([sid, effect, p, a]) => [
          sid,
          effect,
          typeof p === "object" && p && "Service" in p ? p : "AWS",
          a,
        ]);
      expect(principals(mine.trustPolicy)).toEqual(principals(doc(role.inputs.assumeRolePolicy) as PolicyDocument));
      expect(shape(mine.inlinePolicies[inline.inputs.name as string])).toEqual(
        shape(doc(inline.inputs.policy) as PolicyDocument),
      );
    },
  );
});

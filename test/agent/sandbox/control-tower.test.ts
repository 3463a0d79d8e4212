/**
 * The audit over moto of a sandbox laid as an AWS Control Tower landing zone (its trail, log group,
 * buckets without Object Lock and Config recorders), with the manifest infra publishes under
 * controlTower.enabled. SSM associations and GetTrailStatus's CloudWatch/digest fields are recorded
 * (moto lacks them; test/agent/scenarios/_harness.ts). One seed and one audit for the file.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditResult } from "../../../agent/finding";
import { CHECKS } from "../../../agent/checks/registry";
import { seedSandboxOrganization, type Sandbox } from "../../../agent/sandbox/seed";
import { useMoto } from "../../helpers/moto";
import { roleArn } from "../../../baseline";
import { SANDBOX } from "../../../agent/sandbox/layout";
import { audit, brief, withStatus } from "../scenarios/_harness";

const moto = useMoto();
let sb: Sandbox;
let r: AuditResult;

beforeAll(async () => {
  sb = await seedSandboxOrganization({ endpoint: moto.endpoint, controlTower: true });
  r = await audit(sb);
});

describe("a Control Tower landing zone as intended, audited over moto (recorded SSM associations and trail status fields)", () => {
  it("names Control Tower's trail and buckets in the manifest it audits", () => {
    expect(sb.manifest.trail.name).toBe("aws-controltower-BaselineCloudTrail");
    expect(sb.manifest.trail.logGroupName).toBe("aws-controltower/CloudTrailLogs");
    expect(sb.manifest.archive.bucketName).toBe(`aws-controltower-logs-${sb.accounts.logArchive}-us-east-1`);
    expect(sb.manifest.controlTower?.configRecorderName).toBe("aws-controltower-BaselineConfigRecorder");
    // The SCPs the sandbox attaches exempt Control Tower's role, as infra's do under controlTower.enabled.
    for (const scp of sb.manifest.scps)
      expect(JSON.stringify(scp.content)).toContain("arn:aws:iam::*:role/AWSControlTowerExecution");
  });

  it("the only FAIL is the documented difference: Control Tower's bucket has no Object Lock", () => {
    expect(brief(withStatus(r, "ERROR"))).toEqual([]);
    expect(withStatus(r, "FAIL").map((f) => [f.checkId, f.account, f.resourceArn])).toEqual([
      ["archive-object-lock", sb.accounts.logArchive, `arn:aws:s3:::${sb.buckets.archive}`],
    ]);
    expect(r.exitCode).toBe(1);
  });

  it("says NOT_APPLICABLE, with Control Tower's reason, only for the documents orgwarden does not own (and the management account's SCP path)", () => {
    const na = withStatus(r, "NOT_APPLICABLE");
    expect(na.map((f) => [f.checkId, f.account])).toEqual([
      ["accounts-enrolled", sb.accounts.management],
      ["archive-bucket-policy", sb.accounts.logArchive],
      ["kms-key-policy", sb.accounts.security],
      ["trail-log-integrity", "-"],
      // SCPs never bind the management account, Control Tower or not.
      ["scp-effective-path", sb.accounts.management],
      // Control Tower's bucket keeps the lifecycle and access logging Control Tower gives it.
      ["log-bucket-lifecycle", sb.accounts.logArchive],
      ["log-bucket-access-logging", sb.accounts.logArchive],
      // The landing zone's key has the aliases its owner gives it; the baseline's other keys are judged.
      ["kms-key-alias", sb.accounts.security],
      // The sandbox's manifest has no roles.perAccount (agent/sandbox/README.md): the member roles say so.
      // (The trail's Logs role and the log auditor are not orgwarden's here; the StackSet drift role is, and PASSes.)
      ["iam-role-trust", "-"],
      ["iam-role-permissions", "-"],
    ]);
    for (const id of [
      "archive-bucket-policy",
      "kms-key-policy",
      "trail-log-integrity",
      "log-bucket-lifecycle",
      "log-bucket-access-logging",
      "kms-key-alias",
    ])
      expect(na.find((f) => f.checkId === id)!.message).toContain("Control Tower");
  });

  it("every other check PASSes on Control Tower's resources", () => {
    const passed = new Set(withStatus(r, "PASS").map((f) => f.checkId));
    expect(CHECKS.map((c) => c.metadata.id).filter((id) => !passed.has(id))).toEqual([
      "archive-bucket-policy",
      "archive-object-lock",
      "trail-log-integrity",
    ]);
    // The shared roles orgwarden lays under Control Tower: the StackSet drift schedule's (management account) and
    // the agent's three (security account); no trail Logs role, log auditor or Athena analyst (infra lays none there).
    expect(
      r.findings
        .filter((f) => f.checkId.startsWith("iam-role-") && f.account !== "-")
        .map((f) => [f.checkId, f.resourceArn, f.status])
        .sort(),
    ).toEqual(
      [
        [sb.accounts.management, "orgwarden-member-baseline-drift"],
        [sb.accounts.security, SANDBOX.agentRoleName],
        [sb.accounts.security, `${SANDBOX.agentRoleName}-states`],
        [sb.accounts.security, `${SANDBOX.agentRoleName}-schedule`],
      ]
        .flatMap(([a, n]) => ["iam-role-trust", "iam-role-permissions"].map((c) => [c, roleArn(a, n), "PASS"]))
        .sort(),
    );
    const recorders = r.findings.filter((f) => f.checkId === "config-recorder");
    expect(recorders.length).toBe((3 + sb.accounts.members.length) * sb.governedRegions.length);
    expect(recorders.every((f) => f.status === "PASS")).toBe(true);
  });
});

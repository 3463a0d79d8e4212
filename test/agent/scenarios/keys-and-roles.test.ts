import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeleteRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { accountRoot, type PolicyDocument } from "../../../baseline";
import { driftKey } from "../../../agent/sandbox/drift-keys";
import { SANDBOX } from "../../../agent/sandbox/layout";
import type { Sandbox } from "../../../agent/sandbox/seed";
import type { AuditResult } from "../../../agent/finding";
import { resetMoto, startMoto } from "../../helpers/moto";
import { createUserWithPolicy, withIamEnforcement } from "../aws/_moto-auth";
import { audit, seed } from "./_harness";

const KMS_CHECKS = ["kms-key-policy", "kms-grants", "kms-key-state", "kms-key-alias"];
const kmsFindings = (r: AuditResult) => r.findings.filter((f) => KMS_CHECKS.includes(f.checkId));
const arnOf = (sb: Sandbox, name: string) =>
  name === "log-key" ? sb.key.arn : sb.manifest.keys!.others.find((k) => k.name === name)!.arn;

// One sandbox for the file: audited clean, then drifted key by key, then audited with one read denied.
describe("the baseline's keys and roles over moto (SSM associations and GetTrailStatus CloudWatch/digest fields recorded)", () => {
  let sb: Sandbox;
  let endpoint: string;
  // Not useMoto(): it resets moto before every test, and these tests share one seeded sandbox.
  beforeAll(async () => {
    endpoint = (await startMoto()).endpoint;
    await resetMoto(endpoint);
    sb = await seed(endpoint);
  });
  afterAll(async () => {
    if (endpoint) await resetMoto(endpoint);
  });

  it("clean: every key the sandbox lays is judged by every KMS check, all PASS, the log key's ids unchanged", async () => {
    const r = await audit(sb);
    const names = ["log-key", ...sb.manifest.keys!.others.map((k) => k.name)];
    expect(names).toEqual([
      "log-key",
      "log-group-key",
      "orgwarden-security-alerts-key",
      "orgwarden-cis-alarms-key",
      "audit-agent-logs-key",
      // Laid with their buckets, as infra lays them.
      "config-key",
      "flow-log-key",
      "dns-query-log-key",
    ]);
    const f = kmsFindings(r);
    expect(f.filter((x) => x.status !== "PASS")).toEqual([]);
    for (const check of KMS_CHECKS)
      expect(new Set(f.filter((x) => x.checkId === check).map((x) => x.resourceArn)), check).toEqual(
        new Set(names.map((n) => arnOf(sb, n))),
      );
    expect(f.find((x) => x.checkId === "kms-key-policy" && x.resourceArn === sb.key.arn)!.id).toBe(
      `kms-key-policy|${sb.accounts.security}|${sb.region}|${sb.key.arn}`,
    );
    expect(r.exitCode).toBe(0);
  });

  it("drifts on five keys: each is a FAIL of its check on that key only", async () => {
    await driftKey(sb, "log-group-key", "policy-statement");
    await driftKey(sb, "config-key", "rotation-off");
    await driftKey(sb, "orgwarden-security-alerts-key", "pending-deletion");
    const elsewhere = await driftKey(sb, "orgwarden-cis-alarms-key", "alias-elsewhere");
    const grantId = await driftKey(sb, "audit-agent-logs-key", "outsider-grant");
    const r = await audit(sb);
    const fails = kmsFindings(r).filter((x) => x.status !== "PASS");
    expect(fails.map((x) => [x.checkId, x.resourceArn, x.key ?? null, x.status, x.severity]).sort()).toEqual(
      [
        // Each drifted statement and each grant is its own finding, keyed by its Sid and its grant id.
        ["kms-key-policy", arnOf(sb, "log-group-key"), "added:DriftDecrypt", "FAIL", "CRITICAL"],
        ["kms-key-state", arnOf(sb, "config-key"), "rotation", "FAIL", "CRITICAL"],
        ["kms-key-state", arnOf(sb, "orgwarden-security-alerts-key"), "state", "FAIL", "CRITICAL"],
        ["kms-key-alias", arnOf(sb, "orgwarden-cis-alarms-key"), null, "FAIL", "HIGH"],
        ["kms-grants", arnOf(sb, "audit-agent-logs-key"), grantId!, "FAIL", "HIGH"],
      ].sort(),
    );
    const msg = (check: string) => fails.find((x) => x.checkId === check)!.message;
    expect(msg("kms-key-policy")).toContain(
      `(the organization trail's CloudWatch Logs group key): added statement "DriftDecrypt"`,
    );
    expect(msg("kms-key-policy")).toContain(SANDBOX.outsiderAccount);
    expect(msg("kms-key-alias")).toBe(
      `The alias alias/orgwarden-cis-alarms points at key ${elsewhere}, not at the orgwarden-cis-alarms alert topic's key ${arnOf(sb, "orgwarden-cis-alarms-key")}; point it back (aws kms update-alias --alias-name alias/orgwarden-cis-alarms --target-key-id ${arnOf(sb, "orgwarden-cis-alarms-key")}).`,
    );
    expect(msg("kms-grants")).toContain(grantId!);
    expect(fails.find((x) => x.key === "rotation")!.message).toContain("rotation");
    expect(fails.find((x) => x.key === "state")!.message).toContain("scheduled for deletion");
    expect(r.exitCode).toBe(1);
  });

  it("clean roles: the trail's Logs role and the log auditor role PASS trust and permissions", async () => {
    const r = await audit(sb);
    const roles = r.findings.filter((f) => f.checkId.startsWith("iam-role-"));
    expect(roles.map((f) => [f.checkId, f.account, f.resourceArn, f.status]).sort()).toEqual(
      [
        [sb.accounts.management, SANDBOX.trailLogsRoleName],
        [sb.accounts.security, SANDBOX.auditorRoleName],
      ]
        .flatMap(([a, n]) =>
          ["iam-role-trust", "iam-role-permissions"].map((c) => [c, a, `arn:aws:iam::${a}:role/${n}`, "PASS"]),
        )
        .sort(),
    );
  });

  it("roles drifted: a trust widened to another account and one that lost aws:PrincipalOrgID are CRITICAL; a narrowed trust and an extra inline policy FAIL", async () => {
    const intent = (n: string) => sb.manifest.roles!.shared.find((x) => x.name === n)!;
    const auditor = intent("log-auditor-role");
    const trail = intent("trail-logs-role");
    const put = async (account: string, RoleName: string, doc: PolicyDocument) =>
      (await sb.session.client(IAMClient, account, sb.region)).send(
        new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: JSON.stringify(doc) }),
      );
    const clone = (d: PolicyDocument) => JSON.parse(JSON.stringify(d)) as PolicyDocument;
    // The log auditor (who may decrypt every log file) also trusts an outsider account.
    const widened = clone(auditor.trustPolicy);
    widened.Statement.push({
      Sid: "Outsider",
      Effect: "Allow",
      Principal: { AWS: accountRoot(SANDBOX.outsiderAccount) },
      Action: "sts:AssumeRole",
    });
    await put(sb.accounts.security, auditor.roleName, widened);
    // The trail's role trusts CloudTrail only for a narrower source (an extra condition): CloudTrail can no longer deliver.
    const narrowed = clone(trail.trustPolicy);
    narrowed.Statement[0].Condition = {
      ...narrowed.Statement[0].Condition,
      StringLike: { "aws:SourceArn": "arn:aws:cloudtrail:*:000000000000:trail/*" },
    };
    await put(sb.accounts.management, trail.roleName, narrowed);
    const iamMgmt = await sb.session.client(IAMClient, sb.accounts.management, sb.region);
    await iamMgmt.send(
      new PutRolePolicyCommand({
        RoleName: trail.roleName,
        PolicyName: "extra-admin",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      }),
    );
    let r = await audit(sb);
    const roleFails = (res: AuditResult) =>
      res.findings
        .filter((f) => f.checkId.startsWith("iam-role-") && f.status !== "PASS")
        .map((f) => [f.checkId, f.resourceArn.split("/").pop(), f.status, f.severity]);
    expect(roleFails(r).sort()).toEqual(
      [
        ["iam-role-trust", auditor.roleName, "FAIL", "CRITICAL"],
        ["iam-role-trust", trail.roleName, "FAIL", "HIGH"],
        ["iam-role-permissions", trail.roleName, "FAIL", "HIGH"],
      ].sort(),
    );
    const msg = (check: string, role: string) =>
      r.findings.find((f) => f.checkId === check && f.resourceArn.endsWith(`/${role}`))!.message;
    expect(msg("iam-role-trust", auditor.roleName)).toContain(
      `added statement "Outsider" for AWS:${accountRoot(SANDBOX.outsiderAccount)}`,
    );
    expect(msg("iam-role-trust", auditor.roleName)).toContain(
      `aws iam update-assume-role-policy --role-name ${auditor.roleName} --policy-document file://`,
    );
    expect(msg("iam-role-trust", trail.roleName)).toContain("is narrower than intended");
    expect(msg("iam-role-permissions", trail.roleName)).toContain(
      `extra inline policy extra-admin: remove it (aws iam delete-role-policy --role-name ${trail.roleName} --policy-name extra-admin)`,
    );

    // The log auditor's trust back to intended but without its aws:PrincipalOrgID condition.
    const dropped = clone(auditor.trustPolicy);
    delete (dropped.Statement[0].Condition as Record<string, unknown>).StringEquals;
    await put(sb.accounts.security, auditor.roleName, dropped);
    await put(sb.accounts.management, trail.roleName, trail.trustPolicy);
    await iamMgmt.send(new DeleteRolePolicyCommand({ RoleName: trail.roleName, PolicyName: "extra-admin" }));
    r = await audit(sb);
    expect(roleFails(r)).toEqual([["iam-role-trust", auditor.roleName, "FAIL", "CRITICAL"]]);
    expect(msg("iam-role-trust", auditor.roleName)).toContain(`changed statement "AuditAgentOnly" (Condition)`);
  });

  it("ListAliases denied in the security account (moto IAM enforcement): ERROR for its keys' aliases, never PASS; the other accounts' still judged", async () => {
    const keys = await createUserWithPolicy(
      await sb.session.client(IAMClient, sb.accounts.management, sb.region),
      "orgwarden-keys-auditor",
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
    );
    const iam = await sb.session.client(IAMClient, sb.accounts.security, sb.region);
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: SANDBOX.readRoleName,
        PolicyName: "deny-list-aliases",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Action: "kms:ListAliases", Resource: "*" }],
        }),
      }),
    );
    const r = await withIamEnforcement(endpoint, () => audit(sb, { credentials: keys }));
    const aliases = kmsFindings(r).filter((x) => x.checkId === "kms-key-alias");
    const inSecurity = aliases.filter((x) => x.account === sb.accounts.security);
    expect(inSecurity.map((x) => x.resourceArn).sort()).toEqual(
      ["log-key", "orgwarden-security-alerts-key", "audit-agent-logs-key"].map((n) => arnOf(sb, n)).sort(),
    );
    expect(inSecurity.map((x) => [x.status, x.error?.operation, x.error?.kind])).toEqual(
      inSecurity.map(() => ["ERROR", "ListAliases", "access-denied"]),
    );
    expect(
      aliases
        .filter((x) => x.account !== sb.accounts.security)
        .map((x) => x.status)
        .sort(),
    ).toEqual(["FAIL", "PASS", "PASS", "PASS", "PASS"]); // the log-archive account's DNS query-log key among them
    expect(r.exitCode).toBe(3);
  });
});

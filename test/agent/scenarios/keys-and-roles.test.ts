import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeleteRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { accountRoot, parseAuditManifest, roleArn, type PolicyDocument } from "../../../baseline";
import { memberRolesDigest, memberRolesInputOf, SECURITY_AUDIT_POLICY_ARN } from "../../../baseline/detection";
import { driftMemberRole, driftSharedRole } from "../../../agent/sandbox/drift-roles";
import { allAccounts } from "../../../agent/sandbox/layout";
import { driftKey } from "../../../agent/sandbox/drift-keys";
import { SANDBOX } from "../../../agent/sandbox/layout";
import type { Sandbox } from "../../../agent/sandbox/seed";
import type { AuditResult } from "../../../agent/finding";
import { resetMoto, startMoto } from "../../helpers/moto";
import { createUserWithPolicy, withIamEnforcement } from "../aws/_moto-auth";
import { audit, seed } from "./_harness";

const KMS_CHECKS = ["kms-key-policy", "kms-grants", "kms-key-state", "kms-key-alias"];
const kmsFindings = (r: AuditResult) => r.findings.filter((f) => KMS_CHECKS.includes(f.checkId));
/** The sandbox with the manifest infra publishes, `roles.perAccount` included (the sandbox's own leaves it out: see seedRoles). */
const withMemberRoles = (sb: Sandbox): Sandbox => ({
  ...sb,
  manifest: parseAuditManifest({
    ...sb.manifest,
    roles: { ...sb.manifest.roles!, perAccount: { digest: memberRolesDigest(memberRolesInputOf(sb.manifest)!) } },
  }),
});
const FORWARDER = "orgwarden-event-forwarder";
const memberRoleFindings = (r: AuditResult) =>
  r.findings.filter(
    (f) =>
      f.checkId.startsWith("iam-role-") &&
      (f.resourceArn.endsWith(`/${SANDBOX.readRoleName}`) || f.resourceArn.endsWith(`/${FORWARDER}`)),
  );
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
      // Laid with the Athena query-results bucket (seed-athena-results.ts).
      "athena-results-key",
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

  it("clean roles: the trail's Logs role, the log auditor role, the StackSet drift role, the agent's three roles and the Athena analyst role PASS trust and permissions", async () => {
    const r = await audit(sb);
    // The shared roles (the member roles' one NOT_APPLICABLE per check is asserted below).
    const roles = r.findings.filter((f) => f.checkId.startsWith("iam-role-") && f.account !== "-");
    expect(roles.map((f) => [f.checkId, f.account, f.resourceArn, f.status]).sort()).toEqual(
      [
        [sb.accounts.management, SANDBOX.trailLogsRoleName],
        [sb.accounts.security, SANDBOX.auditorRoleName],
        [sb.accounts.management, "orgwarden-member-baseline-drift"],
        [sb.accounts.security, SANDBOX.agentRoleName],
        [sb.accounts.security, `${SANDBOX.agentRoleName}-states`],
        [sb.accounts.security, `${SANDBOX.agentRoleName}-schedule`],
        [sb.accounts.security, SANDBOX.analystRoleName],
      ]
        .flatMap(([a, n]) =>
          ["iam-role-trust", "iam-role-permissions"].map((c) => [c, a, `arn:aws:iam::${a}:role/${n}`, "PASS"]),
        )
        .sort(),
    );
    // The manifest lists them as infra publishes them: entry names, roles, inline policy names, no managed policy.
    expect(
      sb.manifest.roles!.shared.map((x) => [
        x.name,
        x.account,
        x.roleName,
        Object.keys(x.inlinePolicies),
        x.managedPolicyArns,
      ]),
    ).toEqual([
      ["trail-logs-role", sb.accounts.management, SANDBOX.trailLogsRoleName, [SANDBOX.trailLogsPolicyName], []],
      ["log-auditor-role", sb.accounts.security, SANDBOX.auditorRoleName, ["orgwarden-log-auditor"], []],
      ["stackset-drift-role", sb.accounts.management, "orgwarden-member-baseline-drift", ["detect-stackset-drift"], []],
      ["audit-agent-role", sb.accounts.security, SANDBOX.agentRoleName, ["orgwarden-audit-agent"], []],
      [
        "audit-state-machine-role",
        sb.accounts.security,
        `${SANDBOX.agentRoleName}-states`,
        ["orgwarden-audit-state-machine"],
        [],
      ],
      [
        "audit-schedule-role",
        sb.accounts.security,
        `${SANDBOX.agentRoleName}-schedule`,
        ["orgwarden-audit-schedule"],
        [],
      ],
      ["athena-analyst-role", sb.accounts.security, SANDBOX.analystRoleName, ["log-analyst"], []],
    ]);
    // The analyst trust admits the sandbox's athena.analystPrincipals, a role of the security account.
    const analyst = sb.manifest.roles!.shared.find((x) => x.name === "athena-analyst-role")!;
    expect(analyst.trustPolicy.Statement[0].Condition).toEqual({
      ArnLike: { "aws:PrincipalArn": [roleArn(sb.accounts.security, "orgwarden-responder")] },
    });
  });

  it("agent and analyst roles drifted: the agent role trusting another account is CRITICAL, an extra action in the analyst's policy FAILs; restored, both PASS", async () => {
    await driftSharedRole(sb, "audit-agent-role", { kind: "trust-outsider" });
    await driftSharedRole(sb, "athena-analyst-role", { kind: "extra-action", action: "athena:DeleteWorkGroup" });
    const r = await audit(sb);
    const shared = (res: AuditResult) =>
      res.findings.filter((f) => f.checkId.startsWith("iam-role-") && f.account !== "-" && f.status !== "PASS");
    expect(
      shared(r)
        .map((f) => [f.checkId, f.resourceArn, f.status, f.severity])
        .sort(),
    ).toEqual(
      [
        ["iam-role-trust", roleArn(sb.accounts.security, SANDBOX.agentRoleName), "FAIL", "CRITICAL"],
        ["iam-role-permissions", roleArn(sb.accounts.security, SANDBOX.analystRoleName), "FAIL", "HIGH"],
      ].sort(),
    );
    const [trust, permissions] = ["iam-role-trust", "iam-role-permissions"].map(
      (c) => shared(r).find((f) => f.checkId === c)!.message,
    );
    expect(trust).toContain(
      `The trust policy of the audit agent's role ${SANDBOX.agentRoleName} (account ${sb.accounts.security}) admits more than intended: added statement "Outsider" for AWS:${accountRoot(SANDBOX.outsiderAccount)}`,
    );
    expect(permissions).toContain(
      `The permissions of the Athena log analyst role ${SANDBOX.analystRoleName} (account ${sb.accounts.security}) drifted: inline policy log-analyst differs from the intended one (changed statement "QueryInTheLogWorkgroup"`,
    );
    expect(r.exitCode).toBe(1);
    // Back to what infra laid: the documents the manifest lists.
    const iam = await sb.session.client(IAMClient, sb.accounts.security, sb.region);
    const intent = (n: string) => sb.manifest.roles!.shared.find((x) => x.name === n)!;
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: SANDBOX.agentRoleName,
        PolicyDocument: JSON.stringify(intent("audit-agent-role").trustPolicy),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: SANDBOX.analystRoleName,
        PolicyName: "log-analyst",
        PolicyDocument: JSON.stringify(intent("athena-analyst-role").inlinePolicies["log-analyst"]),
      }),
    );
    expect(shared(await audit(sb))).toEqual([]);
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
        .filter((f) => f.checkId.startsWith("iam-role-") && f.status !== "PASS" && f.status !== "NOT_APPLICABLE")
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

  it("member roles clean: in every account both roles' trust PASS and the forwarder's permissions PASS; the read role's permissions FAIL only on moto's SecurityAudit gap", async () => {
    const r = await audit(withMemberRoles(sb));
    const f = memberRoleFindings(r);
    const accounts = allAccounts(sb.accounts);
    expect(f.map((x) => [x.checkId, x.account, x.resourceArn, x.region, x.status]).sort()).toEqual(
      accounts
        .flatMap((a) => [
          ["iam-role-trust", a, roleArn(a, SANDBOX.readRoleName), "global", "PASS"],
          ["iam-role-trust", a, roleArn(a, FORWARDER), "global", "PASS"],
          ["iam-role-permissions", a, roleArn(a, FORWARDER), "global", "PASS"],
          // moto attaches no AWS managed policy (seedRoles): its stand-in is an inline policy.
          ["iam-role-permissions", a, roleArn(a, SANDBOX.readRoleName), "global", "FAIL"],
        ])
        .sort(),
    );
    for (const x of f.filter((y) => y.status === "FAIL"))
      expect(x.message).toBe(
        `The permissions of the audit read role ${SANDBOX.readRoleName} (account ${x.account}) drifted: extra inline policy ${SANDBOX.readRoleName}-policy: remove it (aws iam delete-role-policy --role-name ${SANDBOX.readRoleName} --policy-name ${SANDBOX.readRoleName}-policy); managed policy ${SECURITY_AUDIT_POLICY_ARN} is not attached: attach it (aws iam attach-role-policy --role-name ${SANDBOX.readRoleName} --policy-arn ${SECURITY_AUDIT_POLICY_ARN}).`,
      );
    // The sandbox's own manifest has no roles.perAccount: one NOT_APPLICABLE per check says so.
    const plain = (await audit(sb)).findings.filter((x) => x.checkId.startsWith("iam-role-") && x.account === "-");
    expect(plain.map((x) => [x.checkId, x.status])).toEqual([
      ["iam-role-trust", "NOT_APPLICABLE"],
      ["iam-role-permissions", "NOT_APPLICABLE"],
    ]);
    expect(plain[0].message).toContain("has no roles.perAccount");
  });

  it("member roles drifted: a member's read role trusting an outsider is CRITICAL; an extra managed policy on a forwarder, longer read sessions and a deleted forwarder FAIL, each on its own account", async () => {
    const [m1, m2] = sb.accounts.members;
    const { logArchive } = sb.accounts;
    await driftMemberRole(sb, m1, "audit-read-role", "trust-outsider");
    const extra = await driftMemberRole(sb, m2, "event-forwarder-role", "extra-managed-policy");
    await driftMemberRole(sb, logArchive, "audit-read-role", "long-sessions");
    await driftMemberRole(sb, sb.accounts.management, "event-forwarder-role", "deleted");
    const r = await audit(withMemberRoles(sb));
    const fails = memberRoleFindings(r).filter(
      (x) =>
        x.status !== "PASS" &&
        !(x.checkId === "iam-role-permissions" && x.resourceArn.endsWith(`/${SANDBOX.readRoleName}`)),
    );
    expect(fails.map((x) => [x.checkId, x.resourceArn, x.status, x.severity]).sort()).toEqual(
      [
        ["iam-role-trust", roleArn(m1, SANDBOX.readRoleName), "FAIL", "CRITICAL"],
        ["iam-role-permissions", roleArn(m2, FORWARDER), "FAIL", "HIGH"],
        ["iam-role-trust", roleArn(logArchive, SANDBOX.readRoleName), "FAIL", "HIGH"],
        ["iam-role-trust", roleArn(sb.accounts.management, FORWARDER), "FAIL", "HIGH"],
        ["iam-role-permissions", roleArn(sb.accounts.management, FORWARDER), "FAIL", "HIGH"],
      ].sort(),
    );
    const msg = (check: string, arn: string) =>
      fails.find((x) => x.checkId === check && x.resourceArn === arn)!.message;
    expect(msg("iam-role-trust", roleArn(m1, SANDBOX.readRoleName))).toContain(
      `added statement "Outsider" for AWS:${accountRoot(SANDBOX.outsiderAccount)}`,
    );
    expect(msg("iam-role-permissions", roleArn(m2, FORWARDER))).toContain(
      `extra managed policy ${extra}: detach it (aws iam detach-role-policy --role-name ${FORWARDER} --policy-arn ${extra})`,
    );
    expect(msg("iam-role-trust", roleArn(logArchive, SANDBOX.readRoleName))).toBe(
      `The trust policy of the audit read role ${SANDBOX.readRoleName} (account ${logArchive}) means the same as the intended one. Its MaxSessionDuration is 43200 s, intended 3600 s (an audit run's credentials live at most that long): aws iam update-role --role-name ${SANDBOX.readRoleName} --max-session-duration 3600 (run in account ${logArchive}), or update the member baseline's stack instance.`,
    );
    expect(msg("iam-role-permissions", roleArn(sb.accounts.management, FORWARDER))).toContain("does not exist");
    expect(r.exitCode).toBe(1);
  });

  it("ListAliases and ListAttachedRolePolicies denied in the security account (moto IAM enforcement): ERROR for its keys' aliases and its member roles' permissions, never PASS; the other accounts' still judged", async () => {
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
          Statement: [{ Effect: "Deny", Action: ["kms:ListAliases", "iam:ListAttachedRolePolicies"], Resource: "*" }],
        }),
      }),
    );
    const r = await withIamEnforcement(endpoint, () => audit(withMemberRoles(sb), { credentials: keys }));
    // The member roles' attachments unreadable there: ERROR naming the call for both roles, never PASS.
    const denied = memberRoleFindings(r).filter(
      (x) => x.account === sb.accounts.security && x.checkId === "iam-role-permissions",
    );
    expect(
      denied.map((x) => [x.resourceArn.split("/").pop(), x.status, x.error?.operation, x.error?.kind]).sort(),
    ).toEqual(
      [
        [SANDBOX.readRoleName, "ERROR", "ListAttachedRolePolicies", "access-denied"],
        [FORWARDER, "ERROR", "ListAttachedRolePolicies", "access-denied"],
      ].sort(),
    );
    const aliases = kmsFindings(r).filter((x) => x.checkId === "kms-key-alias");
    const inSecurity = aliases.filter((x) => x.account === sb.accounts.security);
    expect(inSecurity.map((x) => x.resourceArn).sort()).toEqual(
      ["log-key", "orgwarden-security-alerts-key", "audit-agent-logs-key", "athena-results-key"]
        .map((n) => arnOf(sb, n))
        .sort(),
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

/**
 * The remediation commands copy-paste: over a drifted sandbox in moto, the audit's report names
 * the real bucket, key, SCP, targets and grant, each file:// argument names a file written beside
 * the report holding exactly the intended document the check compared with, and running the
 * commands (through the SDK, tests/agent/report/aws-cli-lite.ts) turns the FAIL into a PASS.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CloudTrailClient, PutEventSelectorsCommand } from "@aws-sdk/client-cloudtrail";
import { GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import type { AuditResult, Finding } from "../../../agent/finding";
import { writeReports } from "../../../agent/report";
import { intendedEventSelectors } from "../../../agent/report/intended";
import { parseJsonReport } from "../../../agent/report/json";
import { accountRoot, type PolicyDocument } from "../../../baseline";
import type { Sandbox } from "../../../agent/sandbox/seed";
import { useMoto } from "../../helpers/moto";
import { audit, seed } from "../scenarios/_harness";
import { runAwsCli, shellWords } from "./aws-cli-lite";

const moto = useMoto();

/** Drifts the sandbox seeder has no kind for: a foreign statement in the key policy, management-write-only selectors. */
async function driftKeyPolicyAndSelectors(sb: Sandbox): Promise<void> {
  const kms = await sb.session.client(KMSClient, sb.accounts.security, sb.region);
  const doc = JSON.parse(
    (await kms.send(new GetKeyPolicyCommand({ KeyId: sb.key.id, PolicyName: "default" }))).Policy!,
  ) as PolicyDocument;
  doc.Statement.push({
    Sid: "ForeignDecrypt",
    Effect: "Allow",
    Principal: { AWS: accountRoot("999999999999") },
    Action: "kms:Decrypt",
    Resource: "*",
  });
  await kms.send(new PutKeyPolicyCommand({ KeyId: sb.key.id, PolicyName: "default", Policy: JSON.stringify(doc) }));
  const ct = await sb.session.client(CloudTrailClient, sb.accounts.management, sb.region);
  await ct.send(
    new PutEventSelectorsCommand({
      TrailName: sb.trailName,
      AdvancedEventSelectors: [
        {
          Name: "Management write",
          FieldSelectors: [
            { Field: "eventCategory", Equals: ["Management"] },
            { Field: "readOnly", Equals: ["false"] },
          ],
        },
      ],
    }),
  );
}

async function reportOf(result: AuditResult): Promise<{ dir: string; report: AuditResult }> {
  const dir = join(mkdtempSync(join(tmpdir(), "orgwarden-remediation-")), "out");
  await writeReports(result, { formats: ["json", "md", "html"], outDir: dir });
  return { dir, report: parseJsonReport(readFileSync(join(dir, "report.json"), "utf8")) };
}

const failing = (r: AuditResult, checkId: string) =>
  r.findings.filter((f) => f.checkId === checkId && f.status === "FAIL");
const statusOf = (r: AuditResult, checkId: string) => [
  ...new Set(r.findings.filter((f) => f.checkId === checkId).map((f) => f.status)),
];
const fileArg = (f: Finding) => /file:\/\/(\S+)/.exec(f.remediation.cli)?.[1];

describe("remediation commands copy-paste (sandbox audit over moto; SSM associations and GetTrailStatus CloudWatch/digest fields recorded)", () => {
  it("names the real resources, points file:// at the intended document written beside the report, and fixes the drift when run", async () => {
    const sb = await seed(moto.endpoint, [
      { kind: "foreign-principal-in-bucket-policy" },
      { kind: "scp-detached" },
      { kind: "outsider-grant" },
    ]);
    await driftKeyPolicyAndSelectors(sb);
    const { dir, report } = await reportOf(await audit(sb));
    const m = sb.manifest;

    // The accounts by the names Organizations gives them, with the manifest's roles.
    const listed = await listAccounts(sb);
    expect(Object.keys(report.accounts!).sort()).toEqual(listed.map((a) => a.Id!).sort());
    for (const a of listed) {
      const role =
        a.Id === sb.accounts.management
          ? "management"
          : a.Id === sb.accounts.security
            ? "security"
            : a.Id === sb.accounts.logArchive
              ? "log-archive"
              : "member";
      expect(report.accounts![a.Id!]).toEqual({ name: a.Name, role });
    }

    // What each document check compared with, by check.
    const intended: Record<string, unknown> = {
      "archive-bucket-policy": m.archive.expectedBucketPolicy,
      "kms-key-policy": m.key.expectedKeyPolicy,
      "scp-logging-present": m.scps.find((s) => s.id === sb.scpId)!.content,
      "trail-event-selectors": intendedEventSelectors(m),
    };
    for (const [checkId, doc] of Object.entries(intended)) {
      const fails = failing(report, checkId);
      expect([checkId, fails.length > 0]).toEqual([checkId, true]);
      for (const f of fails) {
        const file = fileArg(f);
        expect([checkId, file]).toEqual([checkId, f.remediation.intendedFile]);
        expect(file).toMatch(/^intended\/[A-Za-z0-9._%-]+\.json$/);
        expect(existsSync(join(dir, file!))).toBe(true);
        const text = readFileSync(join(dir, file!), "utf8");
        expect(text).toBe(`${JSON.stringify(doc, null, 2)}\n`);
        expect(report.intendedDocuments![file!]).toEqual(doc);
      }
    }

    const policy = failing(report, "archive-bucket-policy")[0];
    expect(policy.remediation.cli).toBe(
      `aws s3api put-bucket-policy --bucket ${sb.buckets.archive} --policy file://${policy.remediation.intendedFile}`,
    );
    const key = failing(report, "kms-key-policy")[0];
    expect(key.remediation.cli).toBe(
      `aws kms put-key-policy --key-id ${sb.key.arn} --policy-name default --policy file://${key.remediation.intendedFile}`,
    );
    const detached = failing(report, "scp-logging-present").find((f) => f.key?.startsWith("attached:"))!;
    expect(detached.remediation.cli).toBe(
      `aws organizations attach-policy --policy-id ${sb.scpId} --target-id ${sb.rootId}; aws organizations update-policy --policy-id ${sb.scpId} --content file://${detached.remediation.intendedFile}`,
    );
    const grant = failing(report, "kms-grants")[0];
    expect(grant.remediation.cli).toBe(
      `aws kms list-grants --key-id ${sb.key.arn}; aws kms revoke-grant --key-id ${sb.key.arn} --grant-id ${(grant.observed as { grantId: string }).grantId}`,
    );

    // Every intended/ file on disk is one a finding names, and the other way round.
    const named = new Set(
      report.findings.flatMap((f) => (f.remediation.intendedFile ? [f.remediation.intendedFile] : [])),
    );
    expect(new Set(readdirSync(join(dir, "intended")).map((n) => `intended/${n}`))).toEqual(named);

    // Paste each command in the report directory; the next audit finds the drift gone.
    for (const f of [policy, key, detached, grant, failing(report, "trail-event-selectors")[0]])
      await runAwsCli(f.remediation.cli, dir, sb);
    const after = await audit(sb);
    for (const checkId of [
      "archive-bucket-policy",
      "kms-key-policy",
      "scp-logging-present",
      "kms-grants",
      "trail-event-selectors",
    ])
      expect([checkId, statusOf(after, checkId)]).toEqual([checkId, ["PASS"]]);
  });

  it("fills every placeholder the manifest, the finding or the organization can answer; the rest are named here", async () => {
    const sb = await seed(moto.endpoint, [{ kind: "object-lock-days", days: 1 }]);
    const { report } = await reportOf(await audit(sb));
    const left = new Map<string, Set<string>>();
    for (const f of report.findings) {
      const text = [f.remediation.console, f.remediation.cli, f.remediation.pulumi].join(" ");
      const action = f.status === "FAIL" || f.status === "ERROR";
      // A finding that needs no action gets no intended file: its command keeps the placeholder.
      if (!action && f.remediation.document) {
        expect([f.id, f.remediation.intendedFile, text.includes("file://<intended-file>")]).toEqual([
          f.id,
          undefined,
          true,
        ]);
      }
      for (const ph of (text.match(/<[a-z][a-z0-9 -]*>/g) ?? []).filter((p) => action || p !== "<intended-file>"))
        left.set(f.checkId, new Set([...(left.get(f.checkId) ?? []), ph]));
    }
    // Not in the manifest or the observed state: the Config and CloudTrail-to-Logs role ARNs, the agent
    // configuration parameter; the sandbox governs two OUs, so which one an account belongs under is a choice;
    // an SCP content finding names no target to attach to; the integrity finding spans the organization
    // (account "-", region "global"), so which account's and region's logs to validate is the reader's choice;
    // a key with no grants at all (the baseline's other keys) has no grant to revoke; a role's permissions
    // finding names each policy and its exact command in its message, the generic command keeps them open.
    expect(Object.fromEntries([...left].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      "accounts-enrolled": ["<governed-ou-id>"],
      // The head or one of its parts: which parameter drifted is the finding's (the clean sandbox has none).
      "audit-manifest-parameter": ["<head or part>"],
      "config-recorder": ["<role-arn>"],
      // Which other account to list or deregister is the one the finding's message names.
      "delegated-administrators": ["<admin-account>"],
      // The principal to remove is the one the finding's message names; the management account's finding (RAM sharing
      // with the organization, region "global") names no share and no region.
      "dns-query-log-share": ["<principal>", "<region>", "<share-arn>"],
      // The member roles' one organization-wide NOT_APPLICABLE (the sandbox manifest has no roles.perAccount) names no role.
      "iam-role-permissions": ["<policy-arn>", "<policy-file>", "<policy>", "<role-name>"],
      "iam-role-trust": ["<role-name>"],
      "kms-grants": ["<grant-id>"],
      // Each missing or extra trusted service is named in the finding's message.
      "organization-settings": ["<service-principal>"],
      "scp-logging-present": ["<root-or-ou-id>"],
      "ssm-agent-associations": ["<parameter name>"],
      "trail-cloudwatch-delivery": ["<role-arn>"],
      "trail-log-integrity": ["<account>", "<region>"],
    });
    const integrity = report.findings.filter((f) => f.checkId === "trail-log-integrity");
    expect(integrity.map((f) => `${f.account}/${f.region}`)).toEqual(integrity.map(() => "-/global"));
    const content = report.findings.filter((f) => f.checkId === "scp-logging-present" && f.key === "content");
    expect(content.every((f) => f.remediation.cli.includes("--target-id <root-or-ou-id>"))).toBe(true);
    const lock = report.findings.find((f) => f.checkId === "archive-object-lock" && f.status === "FAIL")!;
    const [words] = shellWords(lock.remediation.cli);
    expect(words.slice(0, 5)).toEqual([
      "aws",
      "s3api",
      "put-object-lock-configuration",
      "--bucket",
      sb.buckets.archive,
    ]);
    expect(JSON.parse(words[6])).toEqual({
      ObjectLockEnabled: "Enabled",
      Rule: { DefaultRetention: { Mode: m(sb).mode, Days: m(sb).days } },
    });
  });
});

const m = (sb: Sandbox) => sb.manifest.archive.objectLock;

async function listAccounts(sb: Sandbox) {
  const org = await sb.session.client(OrganizationsClient, sb.accounts.management, sb.region);
  return (await org.send(new ListAccountsCommand({}))).Accounts ?? [];
}

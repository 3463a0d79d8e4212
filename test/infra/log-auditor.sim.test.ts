/**
 * The nightly integrity check's permissions, proven with the IAM simulator on the documents each
 * example stack GENERATES (captured under the Pulumi mocks): the key policy, the archive bucket
 * policy, the log auditor role's trust and policy, the agent role's policy and the three SCPs.
 * The agent role enters the log auditor role; the log auditor reads digests and log files and
 * decrypts a log file with CloudTrail's encryption context; the read role and any other role of
 * the security account cannot decrypt; no SCP stands in the way.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../baseline";
import { allowAll, roleCaller, simulate, type IamCaller, type OrgOfScps, type SimRequest } from "../helpers/iam-sim";
import { EXPECTED } from "./expected";
import { one, runStack, STACKS } from "./stack";

const SCPS = ["logging-scp-policy", "logging-scp-detection-policy", "logging-scp-identity-policy"];
const json = (v: unknown) => JSON.parse(v as string) as PolicyDocument;

describe.each(STACKS)("the log auditor's reads under simulation (%s stack, generated documents)", (stack) => {
  const x = EXPECTED[stack];
  const org: OrgOfScps = { orgId: x.orgId, management: x.mgmt };
  const member = x.securityId;
  const base = `AWSLogs/${x.orgId}/${member}`;
  const digestKey = `${base}/CloudTrail-Digest/${x.home}/2026/11/30/${member}_CloudTrail-Digest_${x.home}_${x.trailName}_${x.home}_20261130T010000Z.json.gz`;
  const logKey = `${base}/CloudTrail/${x.home}/2026/11/30/${member}_CloudTrail_${x.home}_20261130T0005Z_a1B2c3D4e5F6g7H8.json.gz`;
  const obj = (k: string) => `arn:aws:s3:::${x.archive}/${k}`;
  const auditorArn = `arn:aws:iam::${x.securityId}:role/orgwarden-log-auditor`;
  let d: Record<"key" | "archive" | "trust" | "auditor" | "agent", PolicyDocument> & { scps: PolicyDocument[] };
  let keyArn: string;
  beforeAll(async () => {
    const run = await runStack(stack);
    const key = one(run, "aws:kms/key:Key", "log-key-key");
    keyArn = key.outputs.arn as string;
    d = {
      key: json(key.inputs.policy),
      archive: json(one(run, "aws:s3/bucketPolicy:BucketPolicy", "archive-policy").inputs.policy),
      trust: json(one(run, "aws:iam/role:Role", "log-auditor-role").inputs.assumeRolePolicy),
      auditor: json(one(run, "aws:iam/rolePolicy:RolePolicy", "log-auditor-policy").inputs.policy),
      agent: json(one(run, "aws:iam/rolePolicy:RolePolicy", "audit-agent-policy").inputs.policy),
      scps: SCPS.map((n) => json(one(run, "aws:organizations/policy:Policy", n).inputs.content)),
    };
  });

  const role = (roleName: string, policies: () => PolicyDocument[], accountId = x.securityId): (() => IamCaller) => {
    return () => roleCaller({ accountId, roleName, identityPolicies: policies(), orgId: x.orgId });
  };
  const auditor = role("orgwarden-log-auditor", () => [d.auditor]);
  const agent = role("orgwarden-audit-agent", () => [d.agent]);
  const sim = (r: Omit<SimRequest, "scps" | "organization">) => simulate({ ...r, scps: d.scps, organization: org });
  /** What S3 passes to KMS when it decrypts a CloudTrail log file for a reader. */
  const decryptContext = (caller: IamCaller, trailArn = x.trailArn) => ({
    "kms:EncryptionContext:aws:cloudtrail:arn": trailArn,
    "kms:EncryptionContext:aws:s3:arn": obj(logKey),
    "kms:ViaService": `s3.${x.home}.amazonaws.com`,
    "kms:CallerAccount": caller.accountId,
  });
  const decrypt = (caller: IamCaller, trailArn?: string) =>
    sim({
      caller,
      action: "kms:Decrypt",
      resource: keyArn,
      resourceAccount: x.securityId,
      resourcePolicy: d.key,
      context: decryptContext(caller, trailArn),
    });
  const onArchive = (caller: IamCaller, action: string, resource: string, context?: Record<string, string>) =>
    sim({ caller, action, resource, resourceAccount: x.logArchiveId, resourcePolicy: d.archive, context });

  it("the agent role assumes the log auditor role (its policy and the role's trust both allow it; no SCP denies)", async () => {
    const o = await sim({
      caller: agent(),
      action: "sts:AssumeRole",
      resource: auditorArn,
      resourceAccount: x.securityId,
      resourcePolicy: d.trust,
    });
    expect(o.result).toBe("Allowed");
    expect(o.scpApplied).toBe(true);
    expect(o.scpResult).toBe("Allowed");
  });

  it("another role of the security account, holding sts:* of its own, cannot assume it", async () => {
    const o = await sim({
      caller: role("Admin", () => [allowAll("sts:*")])(),
      action: "sts:AssumeRole",
      resource: auditorArn,
      resourceAccount: x.securityId,
      resourcePolicy: d.trust,
    });
    expect(o.result).toBe("ImplicitlyDenied");
  });

  it("the log auditor decrypts a CloudTrail log file through S3 with the trail's encryption context (key policy + its policy; no SCP denies)", async () => {
    const o = await decrypt(auditor());
    expect(o.result).toBe("Allowed");
    expect(o.scpApplied).toBe(true);
    expect(o.scpResult).toBe("Allowed");
  });

  it("the log auditor cannot decrypt ciphertext bound to another trail", async () => {
    expect((await decrypt(auditor(), x.trailArn.replace(x.trailName, "shadow-trail"))).result).toBe("ImplicitlyDenied");
  });

  it.each([
    ["the audit read role of the security account", "orgwarden-audit-read"],
    ["another role of the security account", "SecurityAdmin"],
    ["the agent role itself", "orgwarden-audit-agent"],
  ])("%s cannot decrypt a log file, even holding kms:* of its own", async (_t, name) => {
    expect((await decrypt(role(name, () => [allowAll("kms:*")])())).result).toBe("ImplicitlyDenied");
  });

  it.each([
    ["a digest file", digestKey],
    ["a log file", logKey],
  ])("the log auditor reads %s in the archive (bucket policy + its policy; no SCP denies)", async (_t, key) => {
    const o = await onArchive(auditor(), "s3:GetObject", obj(key));
    expect(o.result).toBe("Allowed");
    expect(o.scpApplied).toBe(true);
    expect(o.scpResult).toBe("Allowed");
  });

  it("the log auditor lists the day's digest prefix", async () => {
    const o = await onArchive(auditor(), "s3:ListBucket", `arn:aws:s3:::${x.archive}`, {
      "s3:prefix": `${base}/CloudTrail-Digest/${x.home}/2026/11/30/`,
    });
    expect(o.result).toBe("Allowed");
  });

  it("the log auditor lists CloudTrail's public keys (no SCP denies)", async () => {
    const o = await sim({
      caller: auditor(),
      action: "cloudtrail:ListPublicKeys",
      resource: "*",
      resourceAccount: x.securityId,
    });
    expect(o.result).toBe("Allowed");
    expect(o.scpResult).toBe("Allowed");
  });

  it("the log auditor still cannot delete or overwrite a log file", async () => {
    for (const action of ["s3:DeleteObject", "s3:PutObject"])
      expect((await onArchive(auditor(), action, obj(logKey))).result, action).not.toBe("Allowed");
  });
});

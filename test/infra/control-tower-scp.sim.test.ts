/**
 * The security-baseline SCPs exactly as each example stack plans them under controlTower.enabled
 * (the content of the captured aws:organizations/policy:Policy resources), proven with the IAM
 * simulator: Control Tower's execution role keeps what Control Tower does to its own trail
 * buckets, Config recorders and roles, while a member admin is denied it, and the three SCPs fit
 * beside FullAWSAccess on the root (Control Tower attaches its own SCPs to OUs, never to the root).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { SCP_MAX_CHARS, SCP_MAX_PER_TARGET, type PolicyDocument } from "../../baseline";
import type { ProgramRun } from "../../harness/run-program";
import { allowAll, ORG, roleCaller, simulate, type IamCaller } from "../helpers/iam-sim";
import { CT_LOG_ARCHIVE, controlTowerOverrides } from "./control-tower-config";
import { ofType, runStack, STACKS } from "./stack";

const CT_ROLE = "AWSControlTowerExecution";
const HOME = { dev: "eu-west-1", prod: "us-east-1" } as const;

function caller(accountId: string, roleName: string): IamCaller {
  return roleCaller({ accountId, roleName, identityPolicies: [allowAll()] });
}

interface Row {
  action: string;
  resource: string;
  account: string;
}

describe.each(STACKS)("generated %s SCPs under controlTower.enabled, under simulation", (stack) => {
  const member = ORG.member;
  const la = CT_LOG_ARCHIVE[stack];
  const R = HOME[stack];
  const archive = `aws-controltower-logs-${la}-${R}`;
  const accessLogs = `aws-controltower-s3-access-logs-${la}-${R}`;
  const recorder = `arn:aws:config:${R}:${member}:configuration-recorder/aws-controltower-BaselineConfigRecorder/abcd1234efgh5678`;
  const logObject = `arn:aws:s3:::${archive}/AWSLogs/o-devexample1/${member}/CloudTrail/${R}/2026/12/01/${member}_CloudTrail_${R}_20261201T0000Z_abc.json.gz`;
  let run: ProgramRun;
  let scps: PolicyDocument[];
  beforeAll(async () => {
    run = await runStack(stack, controlTowerOverrides(stack));
    scps = ofType(run, "aws:organizations/policy:Policy").map(
      (p) => JSON.parse(p.inputs.content as string) as PolicyDocument,
    );
  });
  const sim = (c: IamCaller, r: Row) =>
    simulate({ caller: c, action: r.action, resource: r.resource, resourceAccount: r.account, scps });

  // What Control Tower does through its execution role: repair its recorder and buckets, update its own role.
  const controlTowerDoes: Row[] = [
    { action: "config:PutConfigurationRecorder", resource: recorder, account: member },
    { action: "config:PutDeliveryChannel", resource: "*", account: member },
    { action: "config:StopConfigurationRecorder", resource: recorder, account: member },
    { action: "s3:PutBucketPolicy", resource: `arn:aws:s3:::${archive}`, account: la },
    { action: "s3:PutLifecycleConfiguration", resource: `arn:aws:s3:::${archive}`, account: la },
    { action: "s3:PutEncryptionConfiguration", resource: `arn:aws:s3:::${accessLogs}`, account: la },
    { action: "iam:PutRolePolicy", resource: `arn:aws:iam::${member}:role/${CT_ROLE}`, account: member },
  ];

  it.each(controlTowerDoes)("AWSControlTowerExecution passes every SCP: %o", async (r) => {
    const o = await sim(caller(r.account, CT_ROLE), r);
    expect(o.scpApplied).toBe(true);
    expect(o.scpResult).toBe("Allowed");
    expect(o.explicitDenials).toEqual([]);
  });

  const denied: [string, Row][] = [
    ["DenyLoggingTampering", { action: "config:PutConfigurationRecorder", resource: recorder, account: member }],
    ["DenyLogBucketTampering", { action: "s3:PutBucketPolicy", resource: `arn:aws:s3:::${archive}`, account: la }],
    // Control Tower's bucket has no Object Lock and its controls guard the bucket's configuration, not its objects.
    ["DenyLogBucketTampering", { action: "s3:DeleteObject", resource: logObject, account: la }],
    ["DenyLogBucketTampering", { action: "s3:DeleteObjectVersion", resource: logObject, account: la }],
    [
      "DenyLogBucketTampering",
      {
        action: "s3:DeleteObject",
        resource: `arn:aws:s3:::${accessLogs}/2026-12-01-00-00-00-ABCDEF0123456789`,
        account: la,
      },
    ],
    [
      "DenyProtectedRoleTampering",
      { action: "iam:UpdateAssumeRolePolicy", resource: `arn:aws:iam::${member}:role/${CT_ROLE}`, account: member },
    ],
    // Squatting on the name in an account Control Tower has not enrolled yet.
    [
      "DenyProtectedRoleTampering",
      { action: "iam:CreateRole", resource: `arn:aws:iam::${member}:role/${CT_ROLE}`, account: member },
    ],
  ];

  it.each(denied)("a member admin is explicitly denied by %s: %o", async (sid, r) => {
    const o = await sim(caller(r.account, "Admin"), r);
    expect(o.scpResult).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual([`scp:${sid}`]);
  });

  it("a role named AWSControlTowerExecution at another path is not exempt", async () => {
    const c = roleCaller({ accountId: member, roleName: `x/${CT_ROLE}`, identityPolicies: [allowAll()] });
    const o = await sim(
      { ...c, principal: `arn:aws:sts::${member}:assumed-role/${CT_ROLE}/session` },
      { action: "config:PutConfigurationRecorder", resource: recorder, account: member },
    );
    expect(o.explicitDenials).toEqual(["scp:DenyLoggingTampering"]);
  });

  it(`fits the quota: three SCPs on the root beside FullAWSAccess (${SCP_MAX_PER_TARGET} allowed), none on an OU, each within ${SCP_MAX_CHARS} characters`, () => {
    const attachments = ofType(run, "aws:organizations/policyAttachment:PolicyAttachment");
    const roots = new Set(attachments.map((a) => a.inputs.targetId));
    expect(roots.size).toBe(1);
    expect([...roots][0]).toMatch(/^r-/);
    expect(attachments.length + 1).toBeLessThanOrEqual(SCP_MAX_PER_TARGET);
    for (const p of ofType(run, "aws:organizations/policy:Policy"))
      expect((p.inputs.content as string).length).toBeLessThanOrEqual(SCP_MAX_CHARS);
  });
});

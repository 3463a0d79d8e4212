import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { logKeyPolicy } from "../../baseline";
import { DEPLOY_ROLE, EXPECTED } from "./expected";
import { doc, one, providerUrn, runStack, STACKS } from "./stack";

describe.each(STACKS)("LogKey (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("creates the key in the security account with rotation, a 30-day window, the protect tag and the baseline key policy", () => {
    const key = one(run, "aws:kms/key:Key", "log-key-key");
    const { policy, ...rest } = key.inputs;
    expect(rest).toEqual({
      description: "orgwarden: encrypts the organization CloudTrail logs",
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { "orgwarden:protected": "true" },
    });
    expect(doc(policy)).toEqual(
      logKeyPolicy({
        securityAccountId: x.securityId,
        managementAccountId: x.mgmt,
        trailArn: x.trailArn,
        adminRoleNames: [DEPLOY_ROLE],
        auditorRoleNames: x.auditors,
        auditReadRoleNames: ["orgwarden-audit-read"],
        analyst: { roleNames: ["orgwarden-log-analyst"], region: x.home },
      }),
    );
    expect(key.protect).toBe(true);
    expect(key.provider).toBe(providerUrn(run, "security"));
  });

  it("names the key's policy principals in the security account, and CloudTrail's context in the management account", () => {
    const policy = doc(one(run, "aws:kms/key:Key", "log-key-key").inputs.policy) as {
      Statement: { Sid: string; Principal: unknown; Condition?: any }[];
    };
    const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
    expect(bySid.AuditorDecrypt.Principal).toEqual({ AWS: `arn:aws:iam::${x.securityId}:root` });
    expect(bySid.AuditorDecrypt.Condition.ArnLike["aws:PrincipalArn"]).toEqual(
      x.auditors.map((r) => `arn:aws:iam::${x.securityId}:role/${r}`),
    );
    expect(bySid.CloudTrailEncrypt.Condition).toEqual({
      StringEquals: { "aws:SourceArn": x.trailArn },
      StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${x.mgmt}:trail/*` },
    });
  });

  it("gives the key its alias", () => {
    const alias = one(run, "aws:kms/alias:Alias", "log-key-alias");
    const key = one(run, "aws:kms/key:Key", "log-key-key");
    expect(alias.inputs).toEqual({ name: "alias/orgwarden-cloudtrail", targetKeyId: key.outputs.keyId });
    expect(alias.provider).toBe(providerUrn(run, "security"));
    expect(run.outputs.logKeyArn).toBe(key.outputs.arn);
    expect(key.outputs.arn).toBe(`arn:aws:kms:${x.home}:${x.securityId}:key/${key.outputs.keyId}`);
  });
});

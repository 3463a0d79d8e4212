import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { KEY_ADMIN_ACTIONS } from "../../baseline";
import { EXPECTED, LOG_GROUP } from "./expected";
import { doc, one, providerUrn, runStack, STACKS } from "./stack";

const KEY = "aws:kms/key:Key";

describe.each(STACKS)("LogGroupKey (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("creates the key in the management account with rotation, a 30-day window, the protect tag and the log-group-only policy", () => {
    const key = one(run, KEY, "log-group-key-key");
    const { policy, ...rest } = key.inputs;
    expect(rest).toEqual({
      description: "orgwarden: encrypts the organization trail's CloudWatch Logs group",
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { "orgwarden:protected": "true" },
    });
    // Written out, not rebuilt with the builder: this is the document the stack files must produce.
    expect(doc(policy)).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-log-group-key",
      Statement: [
        {
          Sid: "KeyAdministration",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${x.mgmt}:root` },
          Action: KEY_ADMIN_ACTIONS,
          Resource: "*",
        },
        {
          Sid: "CloudWatchLogsUseForTheTrailLogGroup",
          Effect: "Allow",
          Principal: { Service: `logs.${x.home}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnEquals: {
              "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${x.home}:${x.mgmt}:log-group:${LOG_GROUP}`,
            },
          },
        },
      ],
    });
    expect(key.protect).toBe(true);
    expect(key.provider).toBe(providerUrn(run, "management"));
  });

  it("gives the key its alias in the management account and exports its ARN", () => {
    const key = one(run, KEY, "log-group-key-key");
    const alias = one(run, "aws:kms/alias:Alias", "log-group-key-alias");
    expect(alias.inputs).toEqual({ name: "alias/orgwarden-cloudtrail-log-group", targetKeyId: key.outputs.keyId });
    expect(alias.provider).toBe(providerUrn(run, "management"));
    expect(run.outputs.logGroupKeyArn).toBe(key.outputs.arn);
  });
});

describe("LogGroupKey administrators from kms.logGroupKeyAdminArns", () => {
  it("narrows administration to the configured management-account principals", async () => {
    const admins = [
      "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_OrgAdmin_*",
      "arn:aws:iam::111122223333:role/pulumi-deploy",
    ];
    const run = await runStack("dev", { "kms.logGroupKeyAdminArns": JSON.stringify(admins) });
    const policy = doc(one(run, KEY, "log-group-key-key").inputs.policy) as { Statement: Record<string, unknown>[] };
    expect(policy.Statement[0]).toEqual({
      Sid: "KeyAdministration",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:root" },
      Action: KEY_ADMIN_ACTIONS,
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": admins } },
    });
  });
});

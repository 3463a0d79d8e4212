import { describe, expect, it } from "vitest";
import { KEY_ADMIN_ACTIONS } from "../../baseline";
import { logGroupKeyPolicy, logsServicePrincipal } from "../../baseline/log-group-key-policy";
import { EXPECTED_KEY_ADMIN_ACTIONS } from "./fixtures";

const input = {
  accountId: "111111111111",
  region: "us-east-1",
  logGroupName: "/orgwarden/cloudtrail",
  adminPrincipalArns: [] as string[],
};

const logsStatement = {
  Sid: "CloudWatchLogsUseForTheTrailLogGroup",
  Effect: "Allow",
  Principal: { Service: "logs.us-east-1.amazonaws.com" },
  Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
  Resource: "*",
  Condition: {
    ArnEquals: {
      "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111111111111:log-group:/orgwarden/cloudtrail",
    },
  },
};

describe("logGroupKeyPolicy", () => {
  it("builds the exact document: account-root administration, and CloudWatch Logs of the region for the one log group", () => {
    expect(logGroupKeyPolicy(input)).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-log-group-key",
      Statement: [
        {
          Sid: "KeyAdministration",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:root" },
          Action: EXPECTED_KEY_ADMIN_ACTIONS,
          Resource: "*",
        },
        logsStatement,
      ],
    });
  });

  it("narrows administration to the given principals with ArnLike on aws:PrincipalArn", () => {
    const admins = [
      "arn:aws:iam::111111111111:role/pulumi-deploy",
      "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*",
    ];
    expect(logGroupKeyPolicy({ ...input, adminPrincipalArns: admins }).Statement[0]).toEqual({
      Sid: "KeyAdministration",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111111111111:root" },
      Action: EXPECTED_KEY_ADMIN_ACTIONS,
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": admins } },
    });
  });

  it("administration carries no cryptographic action and no CreateGrant", () => {
    expect(KEY_ADMIN_ACTIONS).toEqual(EXPECTED_KEY_ADMIN_ACTIONS);
    for (const a of EXPECTED_KEY_ADMIN_ACTIONS)
      expect(a, a).not.toMatch(/^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|CreateGrant|Sign|Verify|GenerateMac)/);
  });

  it("names the regional CloudWatch Logs service principal", () => {
    expect(logsServicePrincipal("eu-central-1")).toBe("logs.eu-central-1.amazonaws.com");
    expect(logGroupKeyPolicy({ ...input, region: "eu-central-1" }).Statement[1].Principal).toEqual({
      Service: "logs.eu-central-1.amazonaws.com",
    });
  });

  it("refuses administrators of another account, an invalid account id and an empty log group name, naming the argument", () => {
    expect(() => logGroupKeyPolicy({ ...input, adminPrincipalArns: ["arn:aws:iam::999999999999:role/Admin"] })).toThrow(
      "logGroupKeyPolicy: adminPrincipalArns must be IAM principals of account 111111111111, got arn:aws:iam::999999999999:role/Admin",
    );
    expect(() => logGroupKeyPolicy({ ...input, accountId: "1111" })).toThrow(
      'logGroupKeyPolicy: accountId must be a 12-digit account id, got "1111"',
    );
    expect(() => logGroupKeyPolicy({ ...input, logGroupName: "" })).toThrow(
      "logGroupKeyPolicy: logGroupName must not be empty",
    );
  });
});

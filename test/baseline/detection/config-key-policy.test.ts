import { describe, expect, it } from "vitest";
import { configKeyPolicy } from "../../../baseline/detection";
import { EXPECTED_KEY_ADMIN_ACTIONS } from "../fixtures";

const input = { accountId: "222222222222", configBucketName: "orgwarden-prod-config-111111111111" };

describe("configKeyPolicy", () => {
  it("builds the exact document: account administration without cryptography, Config delivery into the Config prefix of the bucket", () => {
    expect(configKeyPolicy(input)).toEqual({
      Version: "2012-10-17",
      Id: "orgwarden-config-key",
      Statement: [
        {
          Sid: "KeyAdministration",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::222222222222:root" },
          Action: EXPECTED_KEY_ADMIN_ACTIONS,
          Resource: "*",
        },
        {
          Sid: "AWSConfigDelivery",
          Effect: "Allow",
          Principal: { Service: "config.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
          Condition: {
            StringLike: {
              "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::orgwarden-prod-config-111111111111/AWSLogs/*/Config/*",
            },
          },
        },
      ],
    });
  });

  it.each([
    [{ accountId: "2222" }, 'configKeyPolicy: accountId must be a 12-digit account id, got "2222"'],
    [{ configBucketName: "" }, "configKeyPolicy: configBucketName must not be empty"],
  ])("refuses %j with an error naming the argument", (change, message) => {
    expect(() => configKeyPolicy({ ...input, ...change })).toThrow(message);
  });
});

import { describe, expect, it } from "vitest";
import { ACCOUNT_ID, accountRoot, bucketArn, cloudTrailPrefix, logGroupArn, ORG_ID, roleArn, ROOT_ID, trailArn } from "../../baseline";

describe("ARN builders", () => {
  it.each([
    ["accountRoot", accountRoot("333333333333"), "arn:aws:iam::333333333333:root"],
    ["roleArn", roleArn("333333333333", "orgwarden-auditor"), "arn:aws:iam::333333333333:role/orgwarden-auditor"],
    ["trailArn", trailArn("us-east-1", "111111111111", "orgwarden-org-trail"), "arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-org-trail"],
    ["bucketArn", bucketArn("orgwarden-prod-cloudtrail-222222222222"), "arn:aws:s3:::orgwarden-prod-cloudtrail-222222222222"],
    ["logGroupArn", logGroupArn("us-east-1", "111111111111", "/orgwarden/cloudtrail"), "arn:aws:logs:us-east-1:111111111111:log-group:/orgwarden/cloudtrail"],
    ["cloudTrailPrefix", cloudTrailPrefix("o-a1b2c3d4e5", "444444444444", "eu-west-1"), "AWSLogs/o-a1b2c3d4e5/444444444444/CloudTrail/eu-west-1/"],
  ])("%s", (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe("id patterns", () => {
  it.each([
    [ACCOUNT_ID, "111111111111", true],
    [ACCOUNT_ID, "11111111111", false],
    [ACCOUNT_ID, "1111111111112", false],
    [ORG_ID, "o-a1b2c3d4e5", true],
    [ORG_ID, "o-abc", false],
    [ORG_ID, "o-A1B2C3D4E5", false],
    [ROOT_ID, "r-a1b2", true],
    [ROOT_ID, "r-a1", false],
  ])("%s on %s → %s", (re, value, ok) => {
    expect(re.test(value)).toBe(ok);
  });
});

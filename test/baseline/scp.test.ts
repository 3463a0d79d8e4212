import { describe, expect, it } from "vitest";
import { assertScpSize, loggingProtectionScp, minify, SCP_MAX_CHARS, ScpTooLargeError } from "../../baseline";

const base = {
  exemptPrincipalArns: ["arn:aws:iam::*:role/orgwarden-break-glass"],
  protectedBucketNames: ["orgwarden-prod-cloudtrail-111111111111"],
  trailLogGroupName: "/orgwarden/cloudtrail",
};

describe("loggingProtectionScp", () => {
  it("denies the four trail-blinding actions on every trail, with the exemption", () => {
    const doc = loggingProtectionScp(base);
    const s = doc.Statement.find((x) => x.Sid === "DenyTrailTampering")!;
    expect(s).toEqual({
      Sid: "DenyTrailTampering",
      Effect: "Deny",
      Action: [
        "cloudtrail:StopLogging",
        "cloudtrail:DeleteTrail",
        "cloudtrail:UpdateTrail",
        "cloudtrail:PutEventSelectors",
        "cloudtrail:PutInsightSelectors",
      ],
      Resource: "*",
      Condition: { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/orgwarden-break-glass"] } },
    });
  });

  it("has only Deny statements", () => {
    expect(loggingProtectionScp(base).Statement.every((s) => s.Effect === "Deny")).toBe(true);
  });

  it("refuses an empty exemption list", () => {
    expect(() => loggingProtectionScp({ ...base, exemptPrincipalArns: [] })).toThrow(/exemptPrincipalArns/);
  });

  it("fits the 5,120-character limit with the defaults", () => {
    const text = assertScpSize("protect-security-logging", loggingProtectionScp(base));
    expect(text.length).toBeLessThanOrEqual(SCP_MAX_CHARS);
    expect(text).toBe(minify(loggingProtectionScp(base)));
  });

  it("throws ScpTooLargeError naming the policy and its size when it overflows", () => {
    const many = Array.from({ length: 80 }, (_, i) => `arn:aws:iam::*:role/break-glass-role-number-${i}`);
    const doc = loggingProtectionScp({ ...base, exemptPrincipalArns: many });
    const size = minify(doc).length;
    expect(size).toBeGreaterThan(SCP_MAX_CHARS);
    expect(() => assertScpSize("protect-security-logging", doc)).toThrow(ScpTooLargeError);
    expect(() => assertScpSize("protect-security-logging", doc)).toThrow(
      `SCP "protect-security-logging" is ${size} characters minified; AWS Organizations allows at most 5120.`,
    );
  });
});

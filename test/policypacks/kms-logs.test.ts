import { describe, expect, it } from "vitest";
import { check, res } from "./helpers";

const KEY = "aws:kms/key:Key";
const LG = "aws:cloudwatch/logGroup:LogGroup";
const UNKNOWN_MSG = (k: string) =>
  `${k} is unknown at preview, so this guardrail cannot verify it; set it from a literal or stack config`;
const goodPolicy = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Admin",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::222222222222:root" },
      Action: "kms:*",
      Resource: "*",
    },
  ],
};
const key = (over: Record<string, unknown> = {}) => [
  res(KEY, "log-key", {
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: JSON.stringify(goodPolicy),
    ...over,
  }),
];

describe("kms-key-rotation", () => {
  const P = "kms-key-rotation";
  it("passes", async () => expect((await check(P, key())).messages).toEqual([]));
  it("fails without rotation", async () => {
    expect((await check(P, key({ enableKeyRotation: false }))).messages).toEqual([
      "set enableKeyRotation: true (symmetric keys must rotate their key material)",
    ]);
  });
  it("asymmetric keys cannot rotate and pass", async () => {
    expect(
      (await check(P, key({ enableKeyRotation: false, customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" })))
        .messages,
    ).toEqual([]);
  });
  it("config: a rotation period above the maximum fails, and a larger maximum accepts it", async () => {
    expect((await check(P, key({ rotationPeriodInDays: 730 }))).messages).toEqual([
      "lower rotationPeriodInDays to at most 365 (it is 730)",
    ]);
    expect(
      (await check(P, key({ rotationPeriodInDays: 730 }), { config: { maxRotationPeriodDays: 730 } })).messages,
    ).toEqual([]);
  });
  it("unknown rotation is a violation", async () => {
    expect((await check(P, key(), { unknowns: { "log-key": ["enableKeyRotation"] } })).messages).toEqual([
      UNKNOWN_MSG("enableKeyRotation"),
    ]);
  });
  it("config schema: below 90 days is refused", async () => {
    await expect(check(P, key(), { config: { maxRotationPeriodDays: 30 } })).rejects.toThrow(
      "kms-key-rotation.maxRotationPeriodDays must be >= 90 (got 30)",
    );
  });
});

describe("kms-key-policy-safety", () => {
  const P = "kms-key-policy-safety";
  it("passes", async () => expect((await check(P, key())).messages).toEqual([]));
  it("fails on an unconditioned * principal", async () => {
    const open = {
      ...goodPolicy,
      Statement: [
        ...goodPolicy.Statement,
        { Sid: "Everyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" },
      ],
    };
    expect((await check(P, key({ policy: JSON.stringify(open) }))).messages).toEqual([
      'key policy statement "Everyone" allows Principal "*" (or uses NotPrincipal) without a condition; name the principals or add a condition that narrows them',
    ]);
  });
  it("fails on an Allow with NotPrincipal and no condition (everybody but the named)", async () => {
    const notP = {
      ...goodPolicy,
      Statement: [
        ...goodPolicy.Statement,
        {
          Sid: "AllButOne",
          Effect: "Allow",
          NotPrincipal: { AWS: "arn:aws:iam::222222222222:role/x" },
          Action: "kms:Decrypt",
          Resource: "*",
        },
      ],
    };
    expect((await check(P, key({ policy: JSON.stringify(notP) }))).messages).toEqual([
      'key policy statement "AllButOne" allows Principal "*" (or uses NotPrincipal) without a condition; name the principals or add a condition that narrows them',
    ]);
  });
  it("accepts a * principal narrowed by a condition", async () => {
    const narrowed = {
      ...goodPolicy,
      Statement: [
        {
          Sid: "Org",
          Effect: "Allow",
          Principal: "*",
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } },
        },
      ],
    };
    expect((await check(P, key({ policy: JSON.stringify(narrowed) }))).messages).toEqual([]);
  });
  it("fails on bypassPolicyLockoutSafetyCheck", async () => {
    expect((await check(P, key({ bypassPolicyLockoutSafetyCheck: true }))).messages).toEqual([
      "remove bypassPolicyLockoutSafetyCheck: true; it lets a policy lock every administrator out of the key",
    ]);
  });
  it("config: the deletion window minimum decides the verdict", async () => {
    expect((await check(P, key({ deletionWindowInDays: 7 }))).messages).toEqual([
      "raise deletionWindowInDays to at least 30 (it is 7)",
    ]);
    expect(
      (await check(P, key({ deletionWindowInDays: 7 }), { config: { minDeletionWindowDays: 7 } })).messages,
    ).toEqual([]);
    expect((await check(P, key({ deletionWindowInDays: undefined }))).messages).toEqual([]);
  });
  it("an unknown policy is not applicable with a reason; an unknown window is a violation", async () => {
    const c = await check(P, key(), { unknowns: { "log-key": ["policy", "deletionWindowInDays"] } });
    expect(c.messages).toEqual([UNKNOWN_MSG("deletionWindowInDays")]);
    expect(c.notApplicable).toEqual(["the key policy is unknown at preview; its principals are checked at update"]);
  });
});

describe("cloudwatch-log-group-retention", () => {
  const P = "cloudwatch-log-group-retention";
  const lg = (over: Record<string, unknown> = {}) => [
    res(LG, "trail-logs", {
      name: "/org/cloudtrail",
      retentionInDays: 365,
      kmsKeyId: "arn:aws:kms:us-east-1:1:key/x",
      ...over,
    }),
  ];
  it("passes, and never-expire (unset) passes", async () => {
    expect((await check(P, lg())).messages).toEqual([]);
    expect((await check(P, lg({ retentionInDays: undefined }))).messages).toEqual([]);
  });
  it("fails below the minimum; config lowers it", async () => {
    expect((await check(P, lg({ retentionInDays: 90 }))).messages).toEqual([
      "raise retentionInDays to at least 365 (it is 90)",
    ]);
    expect((await check(P, lg({ retentionInDays: 90 }), { config: { minRetentionDays: 90 } })).messages).toEqual([]);
  });
  it("unknown retention is a violation", async () => {
    expect((await check(P, lg(), { unknowns: { "trail-logs": ["retentionInDays"] } })).messages).toEqual([
      UNKNOWN_MSG("retentionInDays"),
    ]);
  });
  it("config schema: an integer is required", async () => {
    await expect(check(P, lg(), { config: { minRetentionDays: 1.5 } })).rejects.toThrow(
      "cloudwatch-log-group-retention.minRetentionDays must be of type integer (got number 1.5)",
    );
  });
});

describe("cloudwatch-log-group-kms (advisory)", () => {
  const P = "cloudwatch-log-group-kms";
  const lg = (over: Record<string, unknown> = {}) => [
    res(LG, "trail-logs", { name: "/org/cloudtrail", kmsKeyId: "arn:aws:kms:us-east-1:1:key/x", ...over }),
  ];
  it("passes", async () => expect((await check(P, lg())).messages).toEqual([]));
  it("fails, advisory, without a key", async () => {
    const c = await check(P, lg({ kmsKeyId: undefined }));
    expect(c.messages).toEqual([
      "set kmsKeyId to a customer managed KMS key so the log group is encrypted under a key policy you control",
    ]);
    expect(c.violations[0].enforcementLevel).toBe("advisory");
  });
  it("an unknown key counts as set", async () =>
    expect((await check(P, lg(), { unknowns: { "trail-logs": ["kmsKeyId"] } })).messages).toEqual([]));
  it("config: mandatory raises the level", async () => {
    expect(
      (await check(P, lg({ kmsKeyId: undefined }), { config: { enforcementLevel: "mandatory" } })).violations[0]
        .enforcementLevel,
    ).toBe("mandatory");
  });
});

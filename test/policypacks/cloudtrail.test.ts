import { describe, expect, it } from "vitest";
import { baselineStack, compliantTrailInputs, mutate, T, without } from "./baseline-stack";
import { check, res } from "./helpers";

const trail = (over: Record<string, unknown> = {}) => [
  res(T.trail, "org-trail", { ...compliantTrailInputs(), ...over }),
];
const UNKNOWN_MSG = (k: string) =>
  `${k} is unknown at preview, so this guardrail cannot verify it; set it from a literal or stack config`;

describe("cloudtrail-multi-region-logging (stack)", () => {
  const P = "cloudtrail-multi-region-logging";
  it("passes the baseline", async () => expect((await check(P, baselineStack())).messages).toEqual([]));
  it.each([
    [
      { isMultiRegionTrail: false },
      'Trail "org-trail": set isMultiRegionTrail: true so the trail records every region',
    ],
    [
      { includeGlobalServiceEvents: false },
      'Trail "org-trail": set includeGlobalServiceEvents: true (or leave it unset) so IAM, STS and other global events are recorded',
    ],
    [
      { enableLogging: false },
      'Trail "org-trail": set enableLogging: true (or leave it unset): a trail that does not log records nothing',
    ],
  ])("fails on %j", async (over, msg) => {
    const c = await check(
      P,
      mutate(baselineStack(), "org-trail", (i) => ({ ...i, ...over })),
    );
    expect(c.messages).toEqual([msg]);
    expect(c.violations[0].urn).toBe("urn:pulumi:test::fixture::aws:cloudtrail/trail:Trail::org-trail");
  });
  it.each([
    [
      "eventCategory Management with eventSource NotEquals kms.amazonaws.com",
      {
        advancedEventSelectors: [
          {
            name: "Management events",
            fieldSelectors: [
              { field: "eventCategory", equals: ["Management"] },
              { field: "eventSource", notEquals: ["kms.amazonaws.com"] },
            ],
          },
        ],
      },
      "management events with eventSource = kms.amazonaws.com",
    ],
    [
      "basic selector, write only",
      {
        advancedEventSelectors: undefined,
        eventSelectors: [{ readWriteType: "WriteOnly", includeManagementEvents: true }],
      },
      "read management events (readOnly = true)",
    ],
  ])("fails on management events narrowed: %s", async (_n, over, gap) => {
    const c = await check(
      P,
      mutate(baselineStack(), "org-trail", (i) => ({ ...i, ...over })),
    );
    expect(c.messages).toEqual([
      `Trail "org-trail": record every management event — not recorded: ${gap}; keep a selector with eventCategory = Management and no readOnly, eventSource or eventName condition`,
    ]);
  });
  it("a trail without selectors records every management event (CloudTrail's default); unknown selectors are a violation", async () => {
    const none = mutate(baselineStack(), "org-trail", ({ advancedEventSelectors, ...i }) => i);
    expect((await check(P, none)).messages).toEqual([]);
    expect(
      (await check(P, baselineStack(), { unknowns: { "org-trail": ["advancedEventSelectors"] } })).messages,
    ).toEqual([`Trail "org-trail": ${UNKNOWN_MSG("the trail's event selectors")}`]);
  });
  it("accepts an organization trail outside the stack only when the pack config names it (Control Tower), still judging the stack's own trails", async () => {
    const config = {
      externalOrganizationTrailArn:
        "arn:aws:cloudtrail:us-east-1:111111111111:trail/aws-controltower-BaselineCloudTrail",
    };
    const noTrail = without(baselineStack(), "org-trail");
    expect((await check(P, noTrail, { config })).messages).toEqual([]);
    const regional = mutate(baselineStack(), "org-trail", (i) => ({
      ...i,
      isOrganizationTrail: false,
      isMultiRegionTrail: false,
    }));
    expect((await check(P, regional, { config })).messages).toEqual([
      'Trail "org-trail": set isMultiRegionTrail: true so the trail records every region',
    ]);
  });
  it("requires an organization trail where the stack manages the organization", async () => {
    const c = await check(
      P,
      mutate(baselineStack(), "org-trail", (i) => ({ ...i, isOrganizationTrail: false })),
    );
    expect(c.messages).toEqual([
      "this stack manages the AWS Organization but has no organization trail: add an aws.cloudtrail.Trail with isOrganizationTrail: true in the management account",
    ]);
  });
  it("does not require an organization trail where the stack does not manage the organization", async () => {
    const c = await check(
      P,
      without(
        mutate(baselineStack(), "org-trail", (i) => ({ ...i, isOrganizationTrail: false })),
        "org",
      ),
    );
    expect(c.messages).toEqual([]);
  });
  it("unset isMultiRegionTrail fails (provider default false); unset includeGlobalServiceEvents passes (default true)", async () => {
    const c = await check(
      P,
      mutate(baselineStack(), "org-trail", ({ isMultiRegionTrail, includeGlobalServiceEvents, ...rest }) => rest),
    );
    expect(c.messages).toEqual(['Trail "org-trail": set isMultiRegionTrail: true so the trail records every region']);
  });
  it("an unknown flag is a violation, not a throw", async () => {
    const c = await check(P, baselineStack(), {
      unknowns: { "org-trail": ["isMultiRegionTrail", "isOrganizationTrail"] },
    });
    expect(c.messages).toEqual([
      `Trail "org-trail": ${UNKNOWN_MSG("isMultiRegionTrail")}`,
      `Trail "org-trail": ${UNKNOWN_MSG("isOrganizationTrail")}`,
    ]);
    expect(c.violations.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
  });
  it("has one config property: an unknown one is refused; the enforcement level can be set", async () => {
    await expect(check(P, baselineStack(), { config: { regions: ["us-east-1"] } })).rejects.toThrow(
      "policy config: cloudtrail-multi-region-logging.regions is not a config property of this policy (allowed: externalOrganizationTrailArn)",
    );
    const c = await check(
      P,
      mutate(baselineStack(), "org-trail", (i) => ({ ...i, enableLogging: false })),
      { config: "advisory" },
    );
    expect(c.violations.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
  });
});

describe("cloudtrail-log-file-validation", () => {
  const P = "cloudtrail-log-file-validation";
  it("passes", async () => expect((await check(P, trail())).messages).toEqual([]));
  it("fails when off", async () => {
    const c = await check(P, trail({ enableLogFileValidation: false }));
    expect(c.messages).toEqual([
      "set enableLogFileValidation: true so tampering with delivered log files can be detected",
    ]);
    expect(c.violations[0]).toMatchObject({
      enforcementLevel: "mandatory",
      severity: "high",
      resourceType: T.trail,
      resourceName: "org-trail",
    });
  });
  it("unknown is a violation", async () => {
    expect((await check(P, trail(), { unknowns: { "org-trail": ["enableLogFileValidation"] } })).messages).toEqual([
      UNKNOWN_MSG("enableLogFileValidation"),
    ]);
  });
  it("config: advisory level keeps the verdict but lowers it", async () => {
    const c = await check(P, trail({ enableLogFileValidation: false }), { config: "advisory" });
    expect(c.violations.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
  });
});

describe("cloudtrail-kms-encryption", () => {
  const P = "cloudtrail-kms-encryption";
  it("passes", async () => expect((await check(P, trail())).messages).toEqual([]));
  it("fails without a key", async () => {
    expect((await check(P, trail({ kmsKeyId: undefined }))).messages).toEqual([
      "set kmsKeyId to a customer managed KMS key ARN so log files are encrypted with SSE-KMS under a key policy you control",
    ]);
  });
  it("fails with an AWS managed key", async () => {
    expect((await check(P, trail({ kmsKeyId: "alias/aws/s3" }))).messages).toEqual([
      "kmsKeyId alias/aws/s3 is an AWS managed key; use a customer managed KMS key",
    ]);
  });
  it("an unknown kmsKeyId counts as set", async () => {
    const c = await check(P, trail(), { unknowns: { "org-trail": ["kmsKeyId"] } });
    expect(c.messages).toEqual([]);
    expect(c.notApplicable).toEqual([]);
  });
  it("config: disabled does not run", async () => {
    expect((await check(P, trail({ kmsKeyId: undefined }), { config: "disabled" })).violations).toEqual([]);
  });
});

describe("cloudtrail-cloudwatch-logs", () => {
  const P = "cloudtrail-cloudwatch-logs";
  it("passes", async () => expect((await check(P, trail())).messages).toEqual([]));
  it("fails without a role (one change)", async () => {
    expect((await check(P, trail({ cloudWatchLogsRoleArn: undefined }))).messages).toEqual([
      "set cloudWatchLogsRoleArn to a role CloudTrail can assume to write to the log group",
    ]);
  });
  it("fails without a log group", async () => {
    expect((await check(P, trail({ cloudWatchLogsGroupArn: "" }))).messages).toEqual([
      "set cloudWatchLogsGroupArn to the trail's log group ARN (ending in :*) so CIS metric filters can watch the events",
    ]);
  });
  it("unknown references count as set", async () => {
    expect(
      (await check(P, trail(), { unknowns: { "org-trail": ["cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn"] } }))
        .messages,
    ).toEqual([]);
  });
  it("config: the policy has no properties; an unknown property is refused", async () => {
    await expect(check(P, trail(), { config: { minutes: 5 } })).rejects.toThrow(
      "policy config: cloudtrail-cloudwatch-logs.minutes is not a config property of this policy (allowed: none)",
    );
  });
});

describe("cloudtrail-data-events (advisory by default)", () => {
  const P = "cloudtrail-data-events";
  const mgmtOnly = {
    advancedEventSelectors: [
      { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
    ],
  };
  it("passes with S3 and Lambda selectors", async () => expect((await check(P, trail())).messages).toEqual([]));
  it("fails, advisory, with management events only", async () => {
    const c = await check(P, trail(mgmtOnly));
    expect(c.messages).toEqual([
      "record S3 object data events: add an advanced event selector with eventCategory = Data and resources.type = AWS::S3::Object",
      "record Lambda invoke data events: add an advanced event selector with eventCategory = Data and resources.type = AWS::Lambda::Function",
    ]);
    expect(c.violations.map((v) => v.enforcementLevel)).toEqual(["advisory", "advisory"]);
  });
  it("judges data selectors by meaning: S3 writes only is not S3 data events; bucket exclusions are accepted", async () => {
    const s3 = (more: Record<string, unknown>[]) => ({
      advancedEventSelectors: [
        ...mgmtOnly.advancedEventSelectors,
        {
          name: "S3",
          fieldSelectors: [
            { field: "eventCategory", equals: ["Data"] },
            { field: "resources.type", equals: ["AWS::S3::Object"] },
            ...more,
          ],
        },
      ],
    });
    const cfg = { config: { s3DataEvents: true, lambdaDataEvents: false } };
    expect((await check(P, trail(s3([{ field: "readOnly", equals: ["false"] }])), cfg)).messages).toEqual([
      "record S3 object data events: add an advanced event selector with eventCategory = Data and resources.type = AWS::S3::Object",
    ]);
    expect(
      (await check(P, trail(s3([{ field: "resources.ARN", notStartsWiths: ["arn:aws:s3:::logs/"] }])), cfg)).messages,
    ).toEqual([]);
  });
  it("accepts classic event selectors", async () => {
    const classic = {
      advancedEventSelectors: undefined,
      eventSelectors: [
        {
          readWriteType: "All",
          dataResources: [
            { type: "AWS::S3::Object", values: ["arn:aws:s3"] },
            { type: "AWS::Lambda::Function", values: ["arn:aws:lambda"] },
          ],
        },
      ],
    };
    expect((await check(P, trail(classic))).messages).toEqual([]);
  });
  it("config that turns the requirement off changes the verdict", async () => {
    expect(
      (await check(P, trail(mgmtOnly), { config: { s3DataEvents: false, lambdaDataEvents: false } })).messages,
    ).toEqual([]);
  });
  it("unknown selectors are a violation", async () => {
    expect((await check(P, trail(), { unknowns: { "org-trail": ["advancedEventSelectors"] } })).messages).toEqual([
      UNKNOWN_MSG("the trail's event selectors"),
      UNKNOWN_MSG("the trail's event selectors"),
    ]);
  });
  it("config schema: a non-boolean is refused, naming the key", async () => {
    await expect(check(P, trail(), { config: { s3DataEvents: "yes" } })).rejects.toThrow(
      'policy config: cloudtrail-data-events.s3DataEvents must be of type boolean (got string "yes")',
    );
  });
});

import { describe, expect, it } from "vitest";
import { baselineStack, mutate, T, without } from "./baseline-stack";
import { check, res, urnOf } from "./helpers";
import { DETECTION_TYPES } from "../../baseline/rules/detection";

const UNKNOWN_MSG = (k: string) =>
  `${k} is unknown at preview, so this guardrail cannot verify it; set it from a literal or stack config`;

describe("config-recorder-all-resources (stack)", () => {
  const P = "config-recorder-all-resources";
  it("passes the baseline", async () => expect((await check(P, baselineStack())).messages).toEqual([]));
  it("fails when not all types are recorded", async () => {
    const c = await check(
      P,
      mutate(baselineStack(), "recorder", (i) => ({
        ...i,
        recordingGroup: { allSupported: false, resourceTypes: ["AWS::S3::Bucket"], includeGlobalResourceTypes: true },
      })),
    );
    expect(c.messages).toEqual([
      'Recorder "recorder": set recordingGroup.allSupported: true so every supported resource type is recorded',
    ]);
  });
  it("fails without the delivery channel", async () => {
    expect((await check(P, without(baselineStack(), "channel"))).messages).toEqual([
      'Recorder "recorder": add an aws.cfg.DeliveryChannel in account default, region default: a recorder without a delivery channel cannot start',
    ]);
  });
  it("requires global types in exactly one region per account", async () => {
    const provider = (region: string) =>
      res("pulumi:providers:aws", `p-${region}`, { region, allowedAccountIds: '["111111111111"]' });
    const rec = (region: string, global: boolean) => [
      res(
        T.recorder,
        `rec-${region}`,
        { roleArn: "r", recordingGroup: { allSupported: true, includeGlobalResourceTypes: global } },
        { provider: urnOf("pulumi:providers:aws", `p-${region}`) },
      ),
      res(
        T.channel,
        `ch-${region}`,
        { s3BucketName: "cfg" },
        { provider: urnOf("pulumi:providers:aws", `p-${region}`) },
      ),
    ];
    const none = [provider("us-east-1"), provider("eu-west-1"), ...rec("us-east-1", false), ...rec("eu-west-1", false)];
    expect((await check(P, none)).messages).toEqual([
      "account 111111111111: set recordingGroup.includeGlobalResourceTypes: true on the recorder of exactly one region so IAM resources are recorded",
    ]);
    const two = [provider("us-east-1"), provider("eu-west-1"), ...rec("us-east-1", true), ...rec("eu-west-1", true)];
    expect((await check(P, two)).messages).toEqual([
      "account 111111111111: global resource types are recorded in 2 regions (us-east-1, eu-west-1); keep includeGlobalResourceTypes: true in one region only",
    ]);
    const one = [provider("us-east-1"), provider("eu-west-1"), ...rec("us-east-1", true), ...rec("eu-west-1", false)];
    expect((await check(P, one)).messages).toEqual([]);
  });
  it("an unknown recording group is a violation", async () => {
    expect((await check(P, baselineStack(), { unknowns: { recorder: ["recordingGroup"] } })).messages).toEqual([
      `Recorder "recorder": ${UNKNOWN_MSG("recordingGroup.allSupported")}`,
      `Recorder "recorder": ${UNKNOWN_MSG("recordingGroup.includeGlobalResourceTypes")}`,
    ]);
  });
  it("has no config", async () => {
    await expect(check(P, baselineStack(), { config: { regions: [] } })).rejects.toThrow(
      "config-recorder-all-resources.regions is not a config property of this policy (allowed: none)",
    );
  });
});

describe("detection-services-organization (stack, advisory)", () => {
  const P = "detection-services-organization";
  it("passes the baseline", async () => expect((await check(P, baselineStack())).messages).toEqual([]));
  it("is not applicable to a stack without the organization or any detection resource", async () => {
    expect((await check(P, [res("aws:kms/key:Key", "k", {})])).notApplicable).toEqual([
      "the stack manages neither the AWS Organization nor any GuardDuty, Security Hub or Inspector resource",
    ]);
  });
  it("fails, advisory, when GuardDuty only enables new members", async () => {
    const c = await check(
      P,
      mutate(baselineStack(), "gd-org", (i) => ({ ...i, autoEnableOrganizationMembers: "NEW" })),
    );
    expect(c.messages).toEqual([
      'GuardDuty OrganizationConfiguration "gd-org": set autoEnableOrganizationMembers to ALL (it is NEW)',
    ]);
    expect(c.violations[0].enforcementLevel).toBe("advisory");
  });
  it("config accepting NEW changes the verdict", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "gd-org", (i) => ({ ...i, autoEnableOrganizationMembers: "NEW" })),
          { config: { guardDutyAutoEnable: ["ALL", "NEW"] } },
        )
      ).messages,
    ).toEqual([]);
  });
  it("fails when Security Hub is not auto-enabled and Inspector's delegated admin is dropped", async () => {
    const s = without(
      mutate(baselineStack(), "sh-org", (i) => ({ ...i, autoEnable: false })),
      "in-admin",
    );
    expect((await check(P, s)).messages).toEqual([
      'Security Hub OrganizationConfiguration "sh-org": set autoEnable: true, or use organizationConfiguration.configurationType CENTRAL with a configuration policy',
      "Inspector: add an aws.inspector2.DelegatedAdminAccount delegating Inspector to the security account",
    ]);
    expect((await check(P, s, { config: { services: ["guardduty"] } })).messages).toEqual([]);
  });
  it("Security Hub central configuration counts when a policy with Security Hub on is associated with the root", async () => {
    const central = mutate(baselineStack(), "sh-org", () => ({
      autoEnable: false,
      organizationConfiguration: { configurationType: "CENTRAL" },
    }));
    const policy = res(DETECTION_TYPES.shPolicy, "sh-policy", {
      name: "baseline",
      configurationPolicy: {
        serviceEnabled: true,
        enabledStandardArns: [
          "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
        ],
        securityControlsConfiguration: { disabledControlIdentifiers: [] },
      },
    });
    const onRoot = res(DETECTION_TYPES.shPolicyAssociation, "sh-root", { policyId: "p-1", targetId: "r-a1b2" });
    expect((await check(P, [...central, policy, onRoot])).messages).toEqual([]);
    const missing =
      'Security Hub OrganizationConfiguration "sh-org": central configuration enrolls no account until a configuration policy with serviceEnabled: true is associated with the organization root (aws.securityhub.ConfigurationPolicy + ConfigurationPolicyAssociation with targetId r-…)';
    // CENTRAL with no policy, a policy on an OU only, or a policy that turns Security Hub off enrolls nobody.
    expect((await check(P, central)).messages).toEqual([missing]);
    const onOu = res(DETECTION_TYPES.shPolicyAssociation, "sh-ou", { policyId: "p-1", targetId: "ou-a1b2-11111111" });
    expect((await check(P, [...central, policy, onOu])).messages).toEqual([missing]);
    // Unknown at preview (a new organization's root) counts when it comes from the organization the stack creates.
    const org = baselineStack().find((r) => r.type === "aws:organizations/organization:Organization");
    expect(org).toBeDefined();
    const fromOrg = res(
      DETECTION_TYPES.shPolicyAssociation,
      "sh-new-root",
      { policyId: "p-1", targetId: "r-unknown" },
      { propDeps: { targetId: [org!.urn] } },
    );
    const unknownTarget = { unknowns: { "sh-new-root": ["targetId"] } };
    expect((await check(P, [...central, policy, fromOrg], unknownTarget)).messages).toEqual([]);
    const elsewhere = res(DETECTION_TYPES.shPolicyAssociation, "sh-new-root", { policyId: "p-1", targetId: "x" });
    // An unknown target from anywhere else cannot be verified, and says which value.
    expect((await check(P, [...central, policy, elsewhere], unknownTarget)).messages).toEqual([
      `Security Hub OrganizationConfiguration "sh-org": ${UNKNOWN_MSG("the configuration policy's serviceEnabled / its association's targetId")}`,
    ]);
    const off = res(DETECTION_TYPES.shPolicy, "sh-off", {
      name: "off",
      configurationPolicy: { serviceEnabled: false },
    });
    expect((await check(P, [...central, off, onRoot])).messages).toEqual([missing]);
  });
  it("unknown Inspector auto-enable is a violation", async () => {
    expect((await check(P, baselineStack(), { unknowns: { "in-org": ["autoEnable.ec2"] } })).messages).toEqual([
      `Inspector OrganizationConfiguration "in-org": ${UNKNOWN_MSG("autoEnable.ec2")}`,
    ]);
  });
});

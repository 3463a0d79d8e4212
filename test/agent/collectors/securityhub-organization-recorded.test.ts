/**
 * The Security Hub organization reads moto 5.2.5 does not implement — ListOrganizationAdminAccounts,
 * ListConfigurationPolicies / GetConfigurationPolicy, GetConfigurationPolicyAssociation,
 * ListFindingAggregators / GetFindingAggregator, GetEnabledStandards — answered with recorded
 * responses in the exact shapes of the Security Hub API reference (@aws-sdk/client-securityhub
 * types), pages included. Every test name says "recorded".
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  GetConfigurationPolicyAssociationCommand,
  GetConfigurationPolicyCommand,
  GetEnabledStandardsCommand,
  GetFindingAggregatorCommand,
  ListConfigurationPoliciesCommand,
  ListFindingAggregatorsCommand,
  ListOrganizationAdminAccountsCommand,
  SecurityHubClient,
  type GetConfigurationPolicyCommandOutput,
} from "@aws-sdk/client-securityhub";
import {
  collectAdminAccounts,
  collectConfigurationPolicies,
  collectEnabledStandards,
  collectFindingAggregators,
  collectRootAssociation,
} from "../../../agent/collectors/securityhub-organization";

const shMock = mockClient(SecurityHubClient);
afterEach(() => shMock.reset());
// The unit project shares one process between files: leave SecurityHubClient as it was.
afterAll(() => shMock.restore());
const client = () =>
  new SecurityHubClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const SECURITY = "333333333333";
const MGMT = "111111111111";
const ROOT = "r-ab12";
const POLICY_ID = "a1b2c3d4-5678-90ab-cdef-111122223333";
const FSBP = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0";
const CIS = "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0";
const denied = () =>
  Object.assign(new Error("User is not authorized to perform: securityhub:GetConfigurationPolicy"), {
    name: "AccessDeniedException",
    $metadata: { httpStatusCode: 403 },
  });

describe("recorded: ListOrganizationAdminAccounts", () => {
  it("recorded: reads every page of administrators with their status", async () => {
    shMock
      .on(ListOrganizationAdminAccountsCommand, {})
      .resolves({ AdminAccounts: [{ AccountId: SECURITY, Status: "ENABLED" }], NextToken: "t1" })
      .on(ListOrganizationAdminAccountsCommand, { NextToken: "t1" })
      .resolves({ AdminAccounts: [{ AccountId: "444444444444", Status: "DISABLE_IN_PROGRESS" }] });
    expect(await collectAdminAccounts(client(), MGMT, "us-east-1")).toEqual({
      ok: true,
      value: [
        { accountId: SECURITY, status: "ENABLED" },
        { accountId: "444444444444", status: "DISABLE_IN_PROGRESS" },
      ],
    });
  });
  it("recorded: none designated is an empty list (a FAIL for the check), not an error", async () => {
    shMock.on(ListOrganizationAdminAccountsCommand).resolves({ AdminAccounts: [] });
    expect(await collectAdminAccounts(client(), MGMT, "eu-west-1")).toEqual({ ok: true, value: [] });
  });
});

const recordedPolicy: GetConfigurationPolicyCommandOutput = {
  $metadata: { httpStatusCode: 200 },
  Arn: `arn:aws:securityhub:us-east-1:${SECURITY}:configuration-policy/${POLICY_ID}`,
  Id: POLICY_ID,
  Name: "orgwarden-prod-security-hub",
  Description: "orgwarden",
  UpdatedAt: new Date("2026-11-20T10:00:00Z"),
  CreatedAt: new Date("2026-11-01T10:00:00Z"),
  ConfigurationPolicy: {
    SecurityHub: {
      ServiceEnabled: true,
      EnabledStandardIdentifiers: [FSBP, CIS],
      SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: ["IAM.6"] },
    },
  },
};

describe("recorded: configuration policies", () => {
  it("recorded: finds the policy by name across pages and reads its settings", async () => {
    shMock
      .on(ListConfigurationPoliciesCommand, {})
      .resolves({
        ConfigurationPolicySummaries: [{ Id: "other", Name: "someone-elses", ServiceEnabled: true }],
        NextToken: "p2",
      })
      .on(ListConfigurationPoliciesCommand, { NextToken: "p2" })
      .resolves({
        ConfigurationPolicySummaries: [{ Id: POLICY_ID, Name: "orgwarden-prod-security-hub", ServiceEnabled: true }],
      })
      .on(GetConfigurationPolicyCommand, { Identifier: POLICY_ID })
      .resolves(recordedPolicy);
    expect(await collectConfigurationPolicies(client(), SECURITY, "us-east-1", "orgwarden-prod-security-hub")).toEqual({
      ok: true,
      value: [
        {
          id: POLICY_ID,
          arn: recordedPolicy.Arn,
          name: "orgwarden-prod-security-hub",
          serviceEnabled: true,
          enabledStandardIdentifiers: [FSBP, CIS],
          disabledSecurityControlIdentifiers: ["IAM.6"],
          hasSecurityControlsConfiguration: true,
        },
      ],
    });
    expect(shMock.commandCalls(GetConfigurationPolicyCommand).map((c) => c.args[0].input)).toEqual([
      { Identifier: POLICY_ID },
    ]);
  });
  it("recorded: an allow-list policy keeps EnabledSecurityControlIdentifiers", async () => {
    shMock
      .on(ListConfigurationPoliciesCommand)
      .resolves({ ConfigurationPolicySummaries: [{ Id: POLICY_ID, Name: "p" }] })
      .on(GetConfigurationPolicyCommand)
      .resolves({
        ...recordedPolicy,
        Name: "p",
        ConfigurationPolicy: {
          SecurityHub: {
            ServiceEnabled: true,
            EnabledStandardIdentifiers: [FSBP],
            SecurityControlsConfiguration: { EnabledSecurityControlIdentifiers: ["CloudTrail.1"] },
          },
        },
      });
    const r = await collectConfigurationPolicies(client(), SECURITY, "us-east-1", "p");
    expect(r).toMatchObject({
      ok: true,
      value: [{ enabledSecurityControlIdentifiers: ["CloudTrail.1"], hasSecurityControlsConfiguration: true }],
    });
  });
  it("recorded: no policy of that name is an empty list, with no GetConfigurationPolicy", async () => {
    shMock.on(ListConfigurationPoliciesCommand).resolves({ ConfigurationPolicySummaries: [] });
    expect(await collectConfigurationPolicies(client(), SECURITY, "us-east-1", "p")).toEqual({ ok: true, value: [] });
    expect(shMock.commandCalls(GetConfigurationPolicyCommand)).toHaveLength(0);
  });
  it("recorded: a denied GetConfigurationPolicy is a failed read naming it", async () => {
    shMock
      .on(ListConfigurationPoliciesCommand)
      .resolves({ ConfigurationPolicySummaries: [{ Id: POLICY_ID, Name: "p" }] })
      .on(GetConfigurationPolicyCommand)
      .rejects(denied());
    const r = await collectConfigurationPolicies(client(), SECURITY, "us-east-1", "p");
    expect(r.ok ? "read" : [r.error.name, r.error.operation, r.error.kind]).toEqual([
      "AccessDeniedException",
      "GetConfigurationPolicy",
      "access-denied",
    ]);
  });
});

describe("recorded: GetConfigurationPolicyAssociation on the root", () => {
  it("recorded: asks for the root target and reads the association", async () => {
    shMock.on(GetConfigurationPolicyAssociationCommand, { Target: { RootId: ROOT } }).resolves({
      ConfigurationPolicyId: POLICY_ID,
      TargetId: ROOT,
      TargetType: "ROOT",
      AssociationType: "APPLIED",
      UpdatedAt: new Date("2026-11-20T10:00:00Z"),
      AssociationStatus: "FAILED",
      AssociationStatusMessage: "Policy could not be applied to 2 accounts",
    });
    expect(await collectRootAssociation(client(), SECURITY, "us-east-1", ROOT)).toEqual({
      ok: true,
      value: {
        configurationPolicyId: POLICY_ID,
        targetId: ROOT,
        associationType: "APPLIED",
        associationStatus: "FAILED",
        associationStatusMessage: "Policy could not be applied to 2 accounts",
      },
    });
  });
  it("recorded: ResourceNotFoundException is no association; any other error a failed read", async () => {
    shMock
      .on(GetConfigurationPolicyAssociationCommand)
      .rejectsOnce(
        Object.assign(new Error("not found"), {
          name: "ResourceNotFoundException",
          $metadata: { httpStatusCode: 404 },
        }),
      )
      .rejectsOnce(
        Object.assign(new Error("Rate exceeded"), {
          name: "InvalidAccessException",
          $metadata: { httpStatusCode: 401 },
        }),
      );
    expect(await collectRootAssociation(client(), SECURITY, "us-east-1", ROOT)).toEqual({ ok: true, value: undefined });
    const r = await collectRootAssociation(client(), SECURITY, "us-east-1", ROOT);
    expect(r.ok ? "read" : [r.error.name, r.error.operation]).toEqual([
      "InvalidAccessException",
      "GetConfigurationPolicyAssociation",
    ]);
  });
});

describe("recorded: finding aggregators", () => {
  it("recorded: lists every aggregator and reads each one's region, mode and linked regions", async () => {
    const arn = `arn:aws:securityhub:us-east-1:${SECURITY}:finding-aggregator/b2c3d4e5-6789-4abc-8def-222233334444`;
    shMock
      .on(ListFindingAggregatorsCommand)
      .resolves({ FindingAggregators: [{ FindingAggregatorArn: arn }] })
      .on(GetFindingAggregatorCommand, { FindingAggregatorArn: arn })
      .resolves({
        FindingAggregatorArn: arn,
        FindingAggregationRegion: "us-east-1",
        RegionLinkingMode: "SPECIFIED_REGIONS",
        Regions: ["eu-west-1", "ap-southeast-2"],
      });
    expect(await collectFindingAggregators(client(), SECURITY, "us-east-1")).toEqual({
      ok: true,
      value: [
        {
          arn,
          aggregationRegion: "us-east-1",
          regionLinkingMode: "SPECIFIED_REGIONS",
          regions: ["eu-west-1", "ap-southeast-2"],
        },
      ],
    });
  });
  it("recorded: none is an empty list; a failed listing a failed read", async () => {
    shMock.on(ListFindingAggregatorsCommand).resolvesOnce({ FindingAggregators: [] }).rejectsOnce(denied());
    expect(await collectFindingAggregators(client(), SECURITY, "us-east-1")).toEqual({ ok: true, value: [] });
    const r = await collectFindingAggregators(client(), SECURITY, "us-east-1");
    expect(r.ok ? "read" : r.error.operation).toBe("ListFindingAggregators");
  });
});

describe("recorded: GetEnabledStandards", () => {
  it("recorded: reads every page, with each standard's status and reason", async () => {
    shMock
      .on(GetEnabledStandardsCommand, {})
      .resolves({
        StandardsSubscriptions: [
          {
            StandardsSubscriptionArn: `arn:aws:securityhub:us-east-1:${SECURITY}:subscription/aws-foundational-security-best-practices/v/1.0.0`,
            StandardsArn: FSBP,
            StandardsInput: {},
            StandardsStatus: "READY",
          },
        ],
        NextToken: "s2",
      })
      .on(GetEnabledStandardsCommand, { NextToken: "s2" })
      .resolves({
        StandardsSubscriptions: [
          {
            StandardsSubscriptionArn: `arn:aws:securityhub:us-east-1:${SECURITY}:subscription/cis-aws-foundations-benchmark/v/3.0.0`,
            StandardsArn: CIS,
            StandardsInput: {},
            StandardsStatus: "INCOMPLETE",
            StandardsStatusReason: { StatusReasonCode: "NO_AVAILABLE_CONFIGURATION_RECORDER" },
          },
        ],
      });
    expect(await collectEnabledStandards(client(), SECURITY, "us-east-1")).toEqual({
      ok: true,
      value: [
        { standardsArn: FSBP, status: "READY" },
        { standardsArn: CIS, status: "INCOMPLETE", statusReason: "NO_AVAILABLE_CONFIGURATION_RECORDER" },
      ],
    });
  });
});

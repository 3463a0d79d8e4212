/**
 * The GuardDuty collectors over moto (5.2.5 serves CreateDetector/GetDetector with Features,
 * EnableOrganizationAdminAccount and ListOrganizationAdminAccounts), entered through the read role as
 * the audit does; DescribeOrganizationConfiguration, which moto does not implement, against
 * recorded AWS responses (tests named "recorded").
 */
import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  CreateDetectorCommand,
  DescribeOrganizationConfigurationCommand,
  EnableOrganizationAdminAccountCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  type DescribeOrganizationConfigurationCommandOutput,
} from "@aws-sdk/client-guardduty";
import {
  collectGuardDuty,
  collectGuardDutyAdmins,
  collectGuardDutyOrgConfiguration,
} from "../../../agent/collectors/guardduty";
import { useMoto } from "../../helpers/moto";
import { agentClients, REGION } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const MANAGEMENT = "111111111111";
const SECURITY = "333333333333";
const MEMBER = "444444444444";

describe("GuardDuty collectors (moto, entered through the read role)", () => {
  it("GetDetector's Features, with their additional configurations, and the finding frequency, in the one call per detector", async () => {
    env = agentClients(moto.endpoint);
    const gd = await env.get(GuardDutyClient, MEMBER);
    const { DetectorId } = await gd.send(
      new CreateDetectorCommand({
        Enable: true,
        FindingPublishingFrequency: "FIFTEEN_MINUTES",
        Features: [
          { Name: "S3_DATA_EVENTS", Status: "ENABLED" },
          {
            Name: "RUNTIME_MONITORING",
            Status: "ENABLED",
            AdditionalConfiguration: [
              { Name: "EKS_ADDON_MANAGEMENT", Status: "ENABLED" },
              { Name: "EC2_AGENT_MANAGEMENT", Status: "DISABLED" },
            ],
          },
        ],
      }),
    );
    expect(await collectGuardDuty(gd, MEMBER, REGION)).toEqual({
      ok: true,
      value: [
        {
          detectorId: DetectorId,
          status: "ENABLED",
          findingPublishingFrequency: "FIFTEEN_MINUTES",
          features: [
            { name: "S3_DATA_EVENTS", status: "ENABLED", additional: [] },
            {
              name: "RUNTIME_MONITORING",
              status: "ENABLED",
              additional: [
                { name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" },
                { name: "EC2_AGENT_MANAGEMENT", status: "DISABLED" },
              ],
            },
          ],
        },
      ],
    });
  });

  it("ListOrganizationAdminAccounts from the management account: the designated administrator, ENABLED; none before", async () => {
    env = agentClients(moto.endpoint);
    const gd = await env.get(GuardDutyClient, MANAGEMENT);
    expect(await collectGuardDutyAdmins(gd, MANAGEMENT, REGION)).toEqual({ ok: true, value: [] });
    await gd.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: SECURITY }));
    expect(await collectGuardDutyAdmins(gd, MANAGEMENT, REGION)).toEqual({
      ok: true,
      value: [{ accountId: SECURITY, status: "ENABLED" }],
    });
  });

  it("the organization configuration of an account with no detector is observed absent, not read", async () => {
    env = agentClients(moto.endpoint);
    const gd = await env.get(GuardDutyClient, SECURITY);
    expect(await collectGuardDutyOrgConfiguration(gd, SECURITY, REGION)).toEqual({ ok: true, value: undefined });
  });

  it("moto alone: DescribeOrganizationConfiguration (not implemented) is a failed read naming the call, never an empty configuration", async () => {
    env = agentClients(moto.endpoint);
    const gd = await env.get(GuardDutyClient, SECURITY);
    await gd.send(new CreateDetectorCommand({ Enable: true }));
    const r = await collectGuardDutyOrgConfiguration(gd, SECURITY, REGION);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.error.operation, r.error.service, r.error.account, r.error.region]).toEqual([
      "DescribeOrganizationConfiguration",
      "guardduty",
      SECURITY,
      REGION,
    ]);
  });
});

/** Recorded DescribeOrganizationConfiguration of a delegated administrator (AWS's shape; two pages of Features). */
function recordedPages(): DescribeOrganizationConfigurationCommandOutput[] {
  return [
    {
      $metadata: { httpStatusCode: 200 },
      AutoEnable: true,
      MemberAccountLimitReached: false,
      DataSources: {
        S3Logs: { AutoEnable: true },
        Kubernetes: { AuditLogs: { AutoEnable: false } },
        MalwareProtection: { ScanEc2InstanceWithFindings: { EbsVolumes: { AutoEnable: false } } },
      },
      AutoEnableOrganizationMembers: "ALL",
      Features: [
        { Name: "S3_DATA_EVENTS", AutoEnable: "ALL" },
        { Name: "EKS_AUDIT_LOGS", AutoEnable: "NONE" },
      ],
      NextToken: "page-2",
    },
    {
      $metadata: { httpStatusCode: 200 },
      MemberAccountLimitReached: false,
      AutoEnableOrganizationMembers: "ALL",
      Features: [
        {
          Name: "RUNTIME_MONITORING",
          AutoEnable: "NEW",
          AdditionalConfiguration: [
            { Name: "EKS_ADDON_MANAGEMENT", AutoEnable: "ALL" },
            { Name: "ECS_FARGATE_AGENT_MANAGEMENT", AutoEnable: "NONE" },
          ],
        },
      ],
    },
  ];
}

describe("collectGuardDutyOrgConfiguration — recorded AWS responses (moto does not implement DescribeOrganizationConfiguration)", () => {
  const DETECTOR = "12abc34d567e8fa901bc2d34e56789f0";
  let mock: ReturnType<typeof mockClient> | undefined;
  afterEach(() => mock?.restore());

  it("recorded: every page's Features are joined; AutoEnableOrganizationMembers and MemberAccountLimitReached read; the deprecated AutoEnable and DataSources ignored", async () => {
    mock = mockClient(GuardDutyClient);
    const [first, second] = recordedPages();
    mock.on(ListDetectorsCommand).resolves({ $metadata: {}, DetectorIds: [DETECTOR] });
    mock
      .on(DescribeOrganizationConfigurationCommand, { DetectorId: DETECTOR, NextToken: undefined })
      .resolves(first)
      .on(DescribeOrganizationConfigurationCommand, { DetectorId: DETECTOR, NextToken: "page-2" })
      .resolves(second);
    const gd = new GuardDutyClient({ region: REGION });
    try {
      expect(await collectGuardDutyOrgConfiguration(gd, SECURITY, REGION)).toEqual({
        ok: true,
        value: {
          detectorId: DETECTOR,
          autoEnableOrganizationMembers: "ALL",
          memberAccountLimitReached: false,
          features: [
            { name: "S3_DATA_EVENTS", autoEnable: "ALL", additional: [] },
            { name: "EKS_AUDIT_LOGS", autoEnable: "NONE", additional: [] },
            {
              name: "RUNTIME_MONITORING",
              autoEnable: "NEW",
              additional: [
                { name: "EKS_ADDON_MANAGEMENT", autoEnable: "ALL" },
                { name: "ECS_FARGATE_AGENT_MANAGEMENT", autoEnable: "NONE" },
              ],
            },
          ],
        },
      });
      // Both pages were asked for (the paginator reuses one input object, so only the count is telling).
      expect(mock.commandCalls(DescribeOrganizationConfigurationCommand)).toHaveLength(2);
    } finally {
      gd.destroy();
    }
  });

  it("recorded: the account is not the delegated administrator (BadRequestException) — a failed read with the AWS error name", async () => {
    mock = mockClient(GuardDutyClient);
    mock.on(ListDetectorsCommand).resolves({ $metadata: {}, DetectorIds: [DETECTOR] });
    mock
      .on(DescribeOrganizationConfigurationCommand)
      .rejects(
        Object.assign(
          new Error("The request is rejected because the current account is not the delegated administrator account."),
          { name: "BadRequestException", $fault: "client", $metadata: { httpStatusCode: 400 } },
        ),
      );
    const gd = new GuardDutyClient({ region: REGION });
    try {
      const r = await collectGuardDutyOrgConfiguration(gd, SECURITY, REGION);
      expect(r).toMatchObject({
        ok: false,
        error: { name: "BadRequestException", operation: "DescribeOrganizationConfiguration", account: SECURITY },
      });
    } finally {
      gd.destroy();
    }
  });
});

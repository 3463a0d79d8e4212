/**
 * Security Hub for the scenario tests: moto 5.2.5 serves DescribeHub and the organization
 * configuration (those calls reach it), but not ListOrganizationAdminAccounts, the configuration
 * policies and their associations, the finding aggregators or GetEnabledStandards. Those are
 * answered with recorded AWS responses (the API reference's shapes) of the setup infra lays from
 * the sandbox manifest's securityHub area (securityHubIntent), or with the drift named in `gaps`.
 */
import { mockClient } from "aws-sdk-client-mock";
import {
  BatchImportFindingsCommand,
  DescribeHubCommand,
  DescribeOrganizationConfigurationCommand,
  GetConfigurationPolicyAssociationCommand,
  GetConfigurationPolicyCommand,
  GetEnabledStandardsCommand,
  GetFindingAggregatorCommand,
  GetFindingsCommand,
  ListConfigurationPoliciesCommand,
  ListFindingAggregatorsCommand,
  ListOrganizationAdminAccountsCommand,
  SecurityHubClient,
  UpdateOrganizationConfigurationCommand,
} from "@aws-sdk/client-securityhub";
import { securityHubIntent } from "../../../baseline/detection/security-hub";
import type { Sandbox } from "../../../agent/sandbox/seed";

export interface RecordedSecurityHubGaps {
  /** The administrator ListOrganizationAdminAccounts reports in every region (default the security account); null: none. */
  adminAccountId?: string | null;
  /** Controls the recorded configuration policy disables (default none). */
  disabledControls?: string[];
  /** The regions the recorded aggregator links (default the manifest's linked regions); null: no aggregator. */
  linkedRegions?: string[] | null;
  /** Regions where the recorded CIS subscription is INCOMPLETE (NO_AVAILABLE_CONFIGURATION_RECORDER). */
  incompleteCisRegions?: string[];
}

export const RECORDED_POLICY_ID = "a1b2c3d4-5678-90ab-cdef-111122223333";

/** Installs the Security Hub answers; returns the function that removes them. */
export function installRecordedSecurityHub(sb: Sandbox | undefined, gaps: RecordedSecurityHubGaps = {}): () => void {
  const realSend = SecurityHubClient.prototype.send as unknown as (
    this: SecurityHubClient,
    command: unknown,
  ) => Promise<unknown>;
  const sh = mockClient(SecurityHubClient);
  const pass = (Cmd: new (input: any) => any) => (input: unknown, getClient: () => SecurityHubClient) =>
    realSend.call(getClient(), new Cmd(input));
  for (const Cmd of [
    DescribeHubCommand,
    DescribeOrganizationConfigurationCommand,
    UpdateOrganizationConfigurationCommand,
    GetFindingsCommand,
    BatchImportFindingsCommand,
  ] as (new (input: any) => any)[])
    sh.on(Cmd as never).callsFake(pass(Cmd));
  const area = sb?.manifest.securityHub;
  if (!sb || !area) return () => sh.restore();
  const m = sb.manifest;
  const intent = securityHubIntent({ area, homeRegion: m.regions.home, regions: m.regions.governed });
  const security = m.organization.securityAccountId;
  const home = m.regions.home;
  const admin = gaps.adminAccountId === undefined ? security : gaps.adminAccountId;
  sh.on(ListOrganizationAdminAccountsCommand).resolves({
    AdminAccounts: admin ? [{ AccountId: admin, Status: "ENABLED" }] : [],
  });
  const policyArn = `arn:aws:securityhub:${home}:${security}:configuration-policy/${RECORDED_POLICY_ID}`;
  if (intent.policy) {
    const p = intent.policy;
    sh.on(ListConfigurationPoliciesCommand).resolves({
      ConfigurationPolicySummaries: [
        { Arn: policyArn, Id: RECORDED_POLICY_ID, Name: p.name, Description: p.description, ServiceEnabled: true },
      ],
    });
    sh.on(GetConfigurationPolicyCommand, { Identifier: RECORDED_POLICY_ID }).resolves({
      Arn: policyArn,
      Id: RECORDED_POLICY_ID,
      Name: p.name,
      Description: p.description,
      UpdatedAt: new Date("2026-11-20T10:00:00Z"),
      CreatedAt: new Date("2026-11-01T10:00:00Z"),
      ConfigurationPolicy: {
        SecurityHub: {
          ServiceEnabled: true,
          EnabledStandardIdentifiers: p.enabledStandardArns,
          SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: gaps.disabledControls ?? [] },
        },
      },
    });
    sh.on(GetConfigurationPolicyAssociationCommand, { Target: { RootId: m.organization.rootId } }).resolves({
      ConfigurationPolicyId: RECORDED_POLICY_ID,
      TargetId: m.organization.rootId,
      TargetType: "ROOT",
      AssociationType: "APPLIED",
      UpdatedAt: new Date("2026-11-20T10:00:00Z"),
      AssociationStatus: "SUCCESS",
    });
  }
  const aggregatorArn = `arn:aws:securityhub:${home}:${security}:finding-aggregator/b2c3d4e5-6789-4abc-8def-222233334444`;
  const linked = gaps.linkedRegions === undefined ? intent.aggregator?.regions : gaps.linkedRegions;
  sh.on(ListFindingAggregatorsCommand).resolves({
    FindingAggregators: intent.aggregator && linked !== null ? [{ FindingAggregatorArn: aggregatorArn }] : [],
  });
  if (intent.aggregator && linked)
    sh.on(GetFindingAggregatorCommand, { FindingAggregatorArn: aggregatorArn }).resolves({
      FindingAggregatorArn: aggregatorArn,
      FindingAggregationRegion: home,
      RegionLinkingMode: intent.aggregator.linkingMode,
      ...(intent.aggregator.linkingMode === "SPECIFIED_REGIONS" ? { Regions: linked } : {}),
    });
  const incomplete = new Set(gaps.incompleteCisRegions ?? []);
  sh.on(GetEnabledStandardsCommand).callsFake(async (_input: unknown, getClient: () => SecurityHubClient) => {
    const region = await getClient().config.region();
    const [fsbp, cis] = intent.standardsByRegion[region] ?? [];
    return {
      StandardsSubscriptions: [fsbp, cis]
        .filter((a) => a !== undefined)
        .map((StandardsArn) => ({
          StandardsSubscriptionArn: `arn:aws:securityhub:${region}:${security}:subscription/${StandardsArn.split(":standards/")[1]}`,
          StandardsArn,
          StandardsInput: {},
          ...(StandardsArn === cis && incomplete.has(region)
            ? {
                StandardsStatus: "INCOMPLETE" as const,
                StandardsStatusReason: { StatusReasonCode: "NO_AVAILABLE_CONFIGURATION_RECORDER" as const },
              }
            : { StandardsStatus: "READY" as const }),
        })),
    };
  });
  return () => sh.restore();
}

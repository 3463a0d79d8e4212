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
  type GetConfigurationPolicyAssociationCommandOutput,
  type GetConfigurationPolicyCommandOutput,
  type GetEnabledStandardsCommandOutput,
  type GetFindingAggregatorCommandOutput,
  type ListConfigurationPoliciesCommandOutput,
  type ListFindingAggregatorsCommandOutput,
  type ListOrganizationAdminAccountsCommandOutput,
} from "@aws-sdk/client-securityhub";
import { securityHubIntent } from "../../../baseline/detection/security-hub";
import type { Sandbox } from "../../../agent/sandbox/seed";
import type { AuditManifest } from "../../../baseline";

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

/** What AWS answers for the Security Hub reads moto lacks, in the SDK's shapes (no $metadata, no timestamps but the policy's). */
export interface RecordedSecurityHubAnswers {
  admins: ListOrganizationAdminAccountsCommandOutput;
  /** Under central: the policy list, the policy (its id RECORDED_POLICY_ID) and the root's association. */
  policy?: {
    list: ListConfigurationPoliciesCommandOutput;
    get: GetConfigurationPolicyCommandOutput;
    association: GetConfigurationPolicyAssociationCommandOutput;
  };
  aggregators: ListFindingAggregatorsCommandOutput;
  /** The aggregator ListFindingAggregators lists, when it lists one. */
  aggregator?: GetFindingAggregatorCommandOutput;
  /** GetEnabledStandards of the security account in a region. */
  standards(region: string): GetEnabledStandardsCommandOutput;
}

const NO_METADATA = { $metadata: {} };

/**
 * The answers of the setup infra lays from the manifest's securityHub area (securityHubIntent), or with the
 * drift named in `gaps`: one record, served by the scenarios' client mock and the fault tests' proxy alike.
 */
export function recordedSecurityHubAnswers(
  m: AuditManifest,
  area: NonNullable<AuditManifest["securityHub"]>,
  gaps: RecordedSecurityHubGaps = {},
): RecordedSecurityHubAnswers {
  const intent = securityHubIntent({ area, homeRegion: m.regions.home, regions: m.regions.governed });
  const security = m.organization.securityAccountId;
  const home = m.regions.home;
  const admin = gaps.adminAccountId === undefined ? security : gaps.adminAccountId;
  const policyArn = `arn:aws:securityhub:${home}:${security}:configuration-policy/${RECORDED_POLICY_ID}`;
  const p = intent.policy;
  const aggregatorArn = `arn:aws:securityhub:${home}:${security}:finding-aggregator/b2c3d4e5-6789-4abc-8def-222233334444`;
  const linked = gaps.linkedRegions === undefined ? intent.aggregator?.regions : gaps.linkedRegions;
  const incomplete = new Set(gaps.incompleteCisRegions ?? []);
  return {
    admins: { ...NO_METADATA, AdminAccounts: admin ? [{ AccountId: admin, Status: "ENABLED" }] : [] },
    ...(p
      ? {
          policy: {
            list: {
              ...NO_METADATA,
              ConfigurationPolicySummaries: [
                {
                  Arn: policyArn,
                  Id: RECORDED_POLICY_ID,
                  Name: p.name,
                  Description: p.description,
                  ServiceEnabled: true,
                },
              ],
            },
            get: {
              ...NO_METADATA,
              Arn: policyArn,
              Id: RECORDED_POLICY_ID,
              Name: p.name,
              Description: p.description,
              ConfigurationPolicy: {
                SecurityHub: {
                  ServiceEnabled: true,
                  EnabledStandardIdentifiers: p.enabledStandardArns,
                  SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: gaps.disabledControls ?? [] },
                },
              },
            },
            association: {
              ...NO_METADATA,
              ConfigurationPolicyId: RECORDED_POLICY_ID,
              TargetId: m.organization.rootId,
              TargetType: "ROOT",
              AssociationType: "APPLIED",
              AssociationStatus: "SUCCESS",
            },
          },
        }
      : {}),
    aggregators: {
      ...NO_METADATA,
      FindingAggregators: intent.aggregator && linked !== null ? [{ FindingAggregatorArn: aggregatorArn }] : [],
    },
    ...(intent.aggregator && linked
      ? {
          aggregator: {
            ...NO_METADATA,
            FindingAggregatorArn: aggregatorArn,
            FindingAggregationRegion: home,
            RegionLinkingMode: intent.aggregator.linkingMode,
            ...(intent.aggregator.linkingMode === "SPECIFIED_REGIONS" ? { Regions: linked } : {}),
          },
        }
      : {}),
    standards: (region) => {
      const [fsbp, cis] = intent.standardsByRegion[region] ?? [];
      return {
        ...NO_METADATA,
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
    },
  };
}

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
  const r = recordedSecurityHubAnswers(m, area, gaps);
  sh.on(ListOrganizationAdminAccountsCommand).resolves(r.admins);
  if (r.policy) {
    sh.on(ListConfigurationPoliciesCommand).resolves(r.policy.list);
    sh.on(GetConfigurationPolicyCommand, { Identifier: RECORDED_POLICY_ID }).resolves({
      ...r.policy.get,
      UpdatedAt: new Date("2026-11-20T10:00:00Z"),
      CreatedAt: new Date("2026-11-01T10:00:00Z"),
    });
    sh.on(GetConfigurationPolicyAssociationCommand, { Target: { RootId: m.organization.rootId } }).resolves({
      ...r.policy.association,
      UpdatedAt: new Date("2026-11-20T10:00:00Z"),
    });
  }
  sh.on(ListFindingAggregatorsCommand).resolves(r.aggregators);
  if (r.aggregator)
    sh.on(GetFindingAggregatorCommand, { FindingAggregatorArn: r.aggregator.FindingAggregatorArn }).resolves(
      r.aggregator,
    );
  sh.on(GetEnabledStandardsCommand).callsFake(async (_input: unknown, getClient: () => SecurityHubClient) =>
    r.standards(await getClient().config.region()),
  );
  return () => sh.restore();
}

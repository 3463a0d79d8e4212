/**
 * GuardDuty for the scenario tests: moto serves the detectors (with their Features) and the
 * delegated administrator, and those calls reach it; DescribeOrganizationConfiguration, which
 * moto does not implement, is answered with a recorded AWS response: what AWS reports for the
 * organization configuration infra lays from the manifest's guardDuty area (every member and every
 * feature ALL, the features the baseline does not turn on NONE, the deprecated DataSources beside
 * them), or, for the regions named, a drift of it.
 */
import { mockClient } from "aws-sdk-client-mock";
import {
  DescribeOrganizationConfigurationCommand,
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListOrganizationAdminAccountsCommand,
  type DescribeOrganizationConfigurationCommandOutput,
  type OrgFeature,
} from "@aws-sdk/client-guardduty";
import type { AuditManifest } from "../../../baseline";

/** A region whose recorded organization configuration drifted: auto-enable of members, or of one feature, set otherwise. */
export interface RecordedGuardDutyDrift {
  region: string;
  autoEnableOrganizationMembers?: "NEW" | "NONE";
  /** This feature auto-enabled NONE instead of ALL. */
  featureOff?: string;
}

const ORG_FEATURES: OrgFeature[] = [
  "S3_DATA_EVENTS",
  "EKS_AUDIT_LOGS",
  "EBS_MALWARE_PROTECTION",
  "RDS_LOGIN_EVENTS",
  "EKS_RUNTIME_MONITORING",
  "LAMBDA_NETWORK_LOGS",
  "RUNTIME_MONITORING",
];

/** Recorded from a delegated administrator whose organization configuration infra laid from `g`. */
export function recordedOrganizationConfiguration(
  g: NonNullable<AuditManifest["guardDuty"]>,
  drift: Omit<RecordedGuardDutyDrift, "region"> = {},
): DescribeOrganizationConfigurationCommandOutput {
  const on = new Map(g.features.map((f) => [f.name as string, f.additionalConfigurations]));
  const s3 = on.has("S3_DATA_EVENTS") && drift.featureOff !== "S3_DATA_EVENTS";
  return {
    $metadata: { httpStatusCode: 200 },
    AutoEnable: drift.autoEnableOrganizationMembers !== "NONE",
    MemberAccountLimitReached: false,
    DataSources: {
      S3Logs: { AutoEnable: s3 },
      Kubernetes: { AuditLogs: { AutoEnable: on.has("EKS_AUDIT_LOGS") } },
      MalwareProtection: {
        ScanEc2InstanceWithFindings: { EbsVolumes: { AutoEnable: on.has("EBS_MALWARE_PROTECTION") } },
      },
    },
    AutoEnableOrganizationMembers: drift.autoEnableOrganizationMembers ?? "ALL",
    Features: ORG_FEATURES.map((name) => {
      const extra = on.get(name);
      const auto = extra && drift.featureOff !== name ? "ALL" : "NONE";
      return {
        Name: name,
        AutoEnable: auto,
        ...(extra && extra.length > 0
          ? { AdditionalConfiguration: extra.map((n) => ({ Name: n, AutoEnable: auto })) }
          : {}),
      };
    }),
  };
}

/** Installs the GuardDuty answers; returns the function that removes them. */
export function installRecordedGuardDuty(
  manifest: AuditManifest | undefined,
  drifts: RecordedGuardDutyDrift[] = [],
): () => void {
  const realSend = GuardDutyClient.prototype.send as unknown as (
    this: GuardDutyClient,
    command: unknown,
  ) => Promise<unknown>;
  const gd = mockClient(GuardDutyClient);
  const pass = (Cmd: new (input: any) => any) => (input: unknown, getClient: () => GuardDutyClient) =>
    realSend.call(getClient(), new Cmd(input));
  gd.on(ListDetectorsCommand).callsFake(pass(ListDetectorsCommand));
  gd.on(GetDetectorCommand).callsFake(pass(GetDetectorCommand));
  gd.on(ListOrganizationAdminAccountsCommand).callsFake(pass(ListOrganizationAdminAccountsCommand));
  const g = manifest?.guardDuty;
  if (g)
    gd.on(DescribeOrganizationConfigurationCommand).callsFake(
      async (_input: unknown, getClient: () => GuardDutyClient) => {
        const region = await getClient().config.region();
        const { region: _r, ...drift } = drifts.find((d) => d.region === region) ?? { region };
        return recordedOrganizationConfiguration(g, drift);
      },
    );
  return () => gd.restore();
}

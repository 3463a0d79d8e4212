/**
 * Scenario plumbing: a sandbox organization seeded into the worker's moto server, audited over HTTP
 * by the real runAudit(). Two things moto does not implement are answered with recorded AWS
 * responses (aws-sdk-client-mock), and every scenario's name says "recorded":
 *  - SSM ListAssociations and DescribeAssociation (moto: 500): the three State Manager associations
 *    of the member baseline, and the package AWS-ConfigureAWSPackage installs;
 *  - GetTrailStatus's CloudWatch Logs and digest delivery times (moto never fills them): the real
 *    moto response is passed through and only those two AWS fields are added, at the offsets AWS
 *    shows for a healthy trail (CloudWatch Logs with the S3 delivery, digest within the hour);
 *  - Route 53 Resolver ShareStatus (moto always says NOT_SHARED: its RAM cannot share a query logging
 *    configuration): the real ListResolverQueryLogConfigs response is passed through and only
 *    ShareStatus is set to SHARED_BY_ME, what AWS reports for a configuration its owner shares through RAM.
 *  - Route 53 Resolver ListResolverQueryLogConfigAssociations outside the log-archive account (moto
 *    looks a configuration up in the caller's own account, so a member cannot associate with the shared
 *    one): the real response, plus an ACTIVE association of each of the account's VPCs (moto's
 *    DescribeVpcs) with the log-archive account's configuration of the region, what AWS lists once the
 *    member baseline's sweep has run. The log-archive account's own associations are moto's.
 *  - AWS RAM GetResourceShareAssociations and GetResourceShares (moto refuses a query logging
 *    configuration as a share's resource and drops an organization principal): the baseline's share
 *    of each region, ACTIVE, no external principals, holding the configuration asked about, with the
 *    organization as its one principal — what AWS answers for what infra lays.
 *  - AWS Config DescribeDeliveryChannelStatus and DescribeConfigurationAggregatorSourcesStatus
 *    (moto: not implemented): a healthy channel's status and no failed aggregator source
 *    (test/agent/scenarios/_recorded-config.ts); every other Config call reaches moto.
 *  - GuardDuty DescribeOrganizationConfiguration (moto: not implemented): what AWS reports for the
 *    organization configuration infra lays from the manifest's guardDuty area
 *    (test/agent/scenarios/_recorded-guardduty.ts); every other GuardDuty call reaches moto.
 *  - Organizations ListDelegatedServicesForAccount of the security account (moto refuses to register
 *    config.amazonaws.com, securityhub.amazonaws.com and inspector2.amazonaws.com): the real response,
 *    plus those of the three the manifest delegates, what AWS lists once infra registered them; every
 *    other Organizations call, and every other account's answer, is moto's.
 *  - Security Hub ListOrganizationAdminAccounts, configuration policies and the root association,
 *    finding aggregators, GetEnabledStandards (moto: not implemented): the setup infra lays from the
 *    manifest's securityHub area (test/agent/scenarios/_recorded-securityhub.ts); DescribeHub and the
 *    organization configuration reach moto.
 */
import { mockClient } from "aws-sdk-client-mock";
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListPublicKeysCommand,
  type GetTrailStatusCommandOutput,
  type ListPublicKeysCommandOutput,
} from "@aws-sdk/client-cloudtrail";
import {
  DescribeAssociationCommand,
  DescribeParametersCommand,
  ListAssociationsCommand,
  ListTagsForResourceCommand,
  SSMClient,
  type DescribeAssociationCommandOutput,
  type ListAssociationsCommandOutput,
} from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  ListResolverQueryLogConfigAssociationsCommand,
  ListResolverQueryLogConfigsCommand,
  Route53ResolverClient,
  type ListResolverQueryLogConfigAssociationsCommandOutput,
  type ListResolverQueryLogConfigsCommandOutput,
} from "@aws-sdk/client-route53resolver";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetResourceShareAssociationsCommand, GetResourceSharesCommand, RAMClient } from "@aws-sdk/client-ram";
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
  type ListDelegatedServicesForAccountCommandOutput,
} from "@aws-sdk/client-organizations";
import { MOTO_REFUSED_DELEGATIONS } from "../../../agent/sandbox/seed-org-settings";
import { organizationArn } from "../../../baseline";
import { runAuditDetailed } from "../../../agent/run-audit";
import { FAST_RETRY_SCALE } from "../../helpers/moto";
import { installRecordedConfig, type RecordedConfigGaps } from "./_recorded-config";
import { installRecordedStackSetDrift, type RecordedStackSetDrift } from "./_recorded-stackset";
import { installRecordedGuardDuty, type RecordedGuardDutyDrift } from "./_recorded-guardduty";
import { installRecordedSecurityHub, type RecordedSecurityHubGaps } from "./_recorded-securityhub";
import { seedSandboxOrganization, type Sandbox, type SandboxDrift } from "../../../agent/sandbox/seed";
import type { AuditResult, Finding } from "../../../agent/finding";
import type { AwsCredentialsInput } from "../../../agent/options";

/** Recorded from a healthy account: ListAssociations for the agents baseline (ids as AWS shapes them). */
function recordedAssociations(): ListAssociationsCommandOutput {
  return {
    $metadata: { httpStatusCode: 200 },
    Associations: [
      {
        Name: "AWS-UpdateSSMAgent",
        AssociationId: "8dfe3659-4309-493a-8755-0123456789ab",
        AssociationVersion: "1",
        AssociationName: "orgwarden-ssm-agent-update",
        Targets: [{ Key: "InstanceIds", Values: ["*"] }],
        LastExecutionDate: new Date("2026-03-01T06:00:12.345Z"),
        Overview: { Status: "Success", AssociationStatusAggregatedCount: { Success: 3 } },
        ScheduleExpression: "rate(14 days)",
      },
      {
        Name: "AWS-ConfigureAWSPackage",
        AssociationId: "fa94c678-85c6-4d40-926b-7c7910123456",
        AssociationVersion: "2",
        AssociationName: "orgwarden-install-cloudwatch-agent",
        Targets: [{ Key: "InstanceIds", Values: ["*"] }],
        LastExecutionDate: new Date("2026-03-01T06:02:40.000Z"),
        Overview: { Status: "Success", AssociationStatusAggregatedCount: { Success: 3 } },
        ScheduleExpression: "rate(30 days)",
      },
      {
        Name: "AmazonCloudWatch-ManageAgent",
        AssociationId: "0c7e2b11-5a1f-4c3e-9d2a-3f8e4d5c6b7a",
        AssociationVersion: "1",
        AssociationName: "orgwarden-configure-cloudwatch-agent",
        Targets: [{ Key: "InstanceIds", Values: ["*"] }],
        LastExecutionDate: new Date("2026-03-01T06:04:02.000Z"),
        Overview: { Status: "Success", AssociationStatusAggregatedCount: { Success: 3 } },
        ScheduleExpression: "rate(30 days)",
      },
    ],
  };
}

/** Recorded DescribeAssociation of the AWS-ConfigureAWSPackage association above (only its parameters are read). */
function recordedPackageAssociation(): DescribeAssociationCommandOutput {
  return {
    $metadata: { httpStatusCode: 200 },
    AssociationDescription: {
      Name: "AWS-ConfigureAWSPackage",
      AssociationId: "fa94c678-85c6-4d40-926b-7c7910123456",
      AssociationVersion: "2",
      AssociationName: "orgwarden-install-cloudwatch-agent",
      Parameters: {
        action: ["Install"],
        installationType: ["Uninstall and reinstall"],
        name: ["AmazonCloudWatchAgent"],
      },
      Overview: { Status: "Success", AssociationStatusAggregatedCount: { Success: 3 } },
    },
  };
}

const DIGEST_LAG_MS = 15 * 60_000;

export interface RecordedGaps {
  /** Accounts whose read role holds no permission: their recorded ListAssociations answer is AccessDeniedException. */
  deniedAccounts?: string[];
  /** CloudTrail ListPublicKeys (moto: 500), answered with this recorded response when given. */
  publicKeys?: ListPublicKeysCommandOutput;
  /** Config delivery status and aggregator sources (moto: not implemented): see installRecordedConfig. */
  config?: RecordedConfigGaps;
  /** The StackSet's drift (moto fills none): "in-sync" (default) as a detection an hour before the run found it, or "none". */
  stackSetDrift?: RecordedStackSetDrift;
  /** GuardDuty's organization configuration (moto: not implemented): as laid, or drifted in the regions named. */
  guardDuty?: RecordedGuardDutyDrift[];
  /** Security Hub's administrators, policy, aggregator and standards (moto: not implemented): see installRecordedSecurityHub. */
  securityHub?: RecordedSecurityHubGaps;
}

/** Installs the recorded answers; returns the function that removes them. */
export function installRecordedGaps(
  endpoint: string,
  gaps: RecordedGaps = {},
  now = new Date(),
  /** The audited sandbox: its members' Resolver associations are recorded against its log-archive configuration. */
  sb?: Sandbox,
): () => void {
  // The inherited smithy send, captured before the stub shadows it, so the pass-through really reaches moto.
  const realSend = CloudTrailClient.prototype.send as unknown as (
    this: CloudTrailClient,
    command: unknown,
  ) => Promise<unknown>;
  const ct = mockClient(CloudTrailClient);
  const pass = (Cmd: new (input: any) => any) => (input: unknown, getClient: () => CloudTrailClient) =>
    realSend.call(getClient(), new Cmd(input));
  ct.on(DescribeTrailsCommand).callsFake(pass(DescribeTrailsCommand));
  ct.on(GetEventSelectorsCommand).callsFake(pass(GetEventSelectorsCommand));
  ct.on(GetTrailStatusCommand).callsFake(async (input: unknown, getClient: () => CloudTrailClient) => {
    const real = (await realSend.call(
      getClient(),
      new GetTrailStatusCommand(input as { Name: string }),
    )) as GetTrailStatusCommandOutput;
    const t = real.LatestDeliveryTime;
    if (!t) return real;
    return {
      ...real,
      LatestCloudWatchLogsDeliveryTime: t,
      LatestDigestDeliveryTime: new Date(t.getTime() - DIGEST_LAG_MS),
    };
  });

  if (gaps.publicKeys) ct.on(ListPublicKeysCommand).resolves(gaps.publicKeys);

  const realSsmSend = SSMClient.prototype.send as unknown as (this: SSMClient, command: unknown) => Promise<unknown>;
  const ssm = mockClient(SSMClient);
  // moto implements these (the audit manifest parameter): they reach it.
  const passSsm = (Cmd: new (input: any) => any) => (input: unknown, getClient: () => SSMClient) =>
    realSsmSend.call(getClient(), new Cmd(input));
  ssm.on(DescribeParametersCommand).callsFake(passSsm(DescribeParametersCommand));
  ssm.on(ListTagsForResourceCommand).callsFake(passSsm(ListTagsForResourceCommand));
  const denied = new Set(gaps.deniedAccounts ?? []);
  ssm.on(ListAssociationsCommand).callsFake(async (_input: unknown, getClient: () => SSMClient) => {
    if (denied.size > 0 && denied.has(await accountOf(endpoint, getClient()))) {
      throw Object.assign(
        new Error(
          "User: arn:aws:sts::assumed-role/orgwarden-audit-read/orgwarden-audit is not authorized to perform: ssm:ListAssociations",
        ),
        {
          name: "AccessDeniedException",
          $fault: "client",
          $metadata: { httpStatusCode: 400 },
        },
      );
    }
    return recordedAssociations();
  });
  ssm
    .on(DescribeAssociationCommand, { AssociationId: "fa94c678-85c6-4d40-926b-7c7910123456" })
    .resolves(recordedPackageAssociation());
  const realR53Send = Route53ResolverClient.prototype.send as unknown as (
    this: Route53ResolverClient,
    command: unknown,
  ) => Promise<unknown>;
  // Cast: this client nests older @smithy types than aws-sdk-client-mock's (the registry's newest is 3.654).
  const r53 = mockClient(Route53ResolverClient as never);
  r53.on(ListResolverQueryLogConfigsCommand as never).callsFake(async (input: unknown, getClient: () => unknown) => {
    const real = (await realR53Send.call(
      getClient() as Route53ResolverClient,
      new ListResolverQueryLogConfigsCommand(input as object),
    )) as ListResolverQueryLogConfigsCommandOutput;
    return {
      ...real,
      ResolverQueryLogConfigs: real.ResolverQueryLogConfigs?.map((c) => ({ ...c, ShareStatus: "SHARED_BY_ME" })),
    };
  });
  r53
    .on(ListResolverQueryLogConfigAssociationsCommand as never)
    .callsFake(async (input: unknown, getClient: () => unknown) => {
      const client = getClient() as Route53ResolverClient;
      const real = (await realR53Send.call(
        client,
        new ListResolverQueryLogConfigAssociationsCommand(input as object),
      )) as ListResolverQueryLogConfigAssociationsCommandOutput;
      if (!sb) return real;
      const account = await accountOf(endpoint, client);
      // The log-archive account's own associations are moto's (agent/sandbox/seed-network.ts lays them).
      if (account === sb.accounts.logArchive) return real;
      const region = await client.config.region();
      const configId = sb.dnsQueryLogConfigIds[region];
      if (!configId) return real;
      // As the audit itself: the member's read role lists its VPCs.
      const ec2 = new EC2Client({ endpoint, region, credentials: client.config.credentials });
      let vpcs;
      try {
        vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
      } finally {
        ec2.destroy();
      }
      // What AWS lists in the member once its sweep associated each of its VPCs with the shared configuration.
      return {
        ...real,
        ResolverQueryLogConfigAssociations: [
          ...(real.ResolverQueryLogConfigAssociations ?? []),
          ...vpcs.map((v) => ({
            Id: `rslvr-qlca-${v.VpcId!.slice(4).padStart(17, "0")}`,
            ResolverQueryLogConfigId: configId,
            ResourceId: v.VpcId,
            Status: "ACTIVE",
            Error: "NONE",
            ErrorMessage: "",
            CreationTime: "2026-11-01T00:00:00.000Z",
          })),
        ],
      };
    });
  // RAM: moto refuses a query logging configuration as a share's resource and drops an organization principal.
  const ram = mockClient(RAMClient as never);
  const shareOf = async (getClient: () => unknown) => {
    const region = await (getClient() as RAMClient).config.region();
    return `arn:aws:ram:${region}:${sb?.accounts.logArchive}:resource-share/${region === "us-east-1" ? "5a6b7c8d" : "6b7c8d9e"}-0000-4000-8000-0123456789ab`;
  };
  if (sb) {
    const orgArn = organizationArn({ managementAccountId: sb.accounts.management, id: sb.orgId });
    ram.on(GetResourceShareAssociationsCommand as never).callsFake(async (input: unknown, getClient: () => unknown) => {
      const i = input as { associationType: string; resourceArn?: string };
      const resourceShareArn = await shareOf(getClient);
      return {
        resourceShareAssociations: [
          {
            resourceShareArn,
            resourceShareName: sb.manifest.dnsQueryLogs?.configName,
            associatedEntity: i.associationType === "RESOURCE" ? i.resourceArn : orgArn,
            associationType: i.associationType,
            status: "ASSOCIATED",
            external: false,
          },
        ],
      };
    });
    ram.on(GetResourceSharesCommand as never).callsFake(async (_input: unknown, getClient: () => unknown) => ({
      resourceShares: [
        {
          resourceShareArn: await shareOf(getClient),
          name: sb.manifest.dnsQueryLogs?.configName,
          owningAccountId: sb.accounts.logArchive,
          allowExternalPrincipals: false,
          status: "ACTIVE",
        },
      ],
    }));
  }
  const org = sb ? installRecordedDelegations(sb) : undefined;
  const restoreConfig = installRecordedConfig(endpoint, gaps.config);
  const restoreStackSet = installRecordedStackSetDrift(gaps.stackSetDrift ?? "in-sync", now);
  const restoreGuardDuty = installRecordedGuardDuty(sb?.manifest, gaps.guardDuty);
  const restoreSecurityHub = installRecordedSecurityHub(sb, gaps.securityHub);
  return () => {
    restoreSecurityHub();
    ct.restore();
    ssm.restore();
    r53.restore();
    ram.restore();
    org?.restore();
    restoreConfig();
    restoreStackSet();
    restoreGuardDuty();
  };
}

/** Organizations through moto, but for the delegations moto cannot register (see the header). */
function installRecordedDelegations(sb: Sandbox) {
  const realSend = OrganizationsClient.prototype.send as unknown as (
    this: OrganizationsClient,
    command: unknown,
  ) => Promise<unknown>;
  const org = mockClient(OrganizationsClient);
  const pass = (Cmd: new (input: any) => any) => (input: unknown, getClient: () => OrganizationsClient) =>
    realSend.call(getClient(), new Cmd(input));
  for (const Cmd of [
    DescribeOrganizationCommand,
    DescribePolicyCommand,
    ListAccountsForParentCommand,
    ListAWSServiceAccessForOrganizationCommand,
    ListDelegatedAdministratorsCommand,
    ListOrganizationalUnitsForParentCommand,
    ListPoliciesCommand,
    ListRootsCommand,
    ListTargetsForPolicyCommand,
  ])
    org.on(Cmd as never).callsFake(pass(Cmd));
  const refused = (sb.manifest.organizationSettings?.delegatedServices ?? []).filter((s) =>
    MOTO_REFUSED_DELEGATIONS.includes(s),
  );
  org.on(ListDelegatedServicesForAccountCommand).callsFake(async (input, getClient: () => OrganizationsClient) => {
    const i = input as { AccountId: string; NextToken?: string };
    const real = (await realSend.call(
      getClient(),
      new ListDelegatedServicesForAccountCommand(i),
    )) as ListDelegatedServicesForAccountCommandOutput;
    if (i.AccountId !== sb.accounts.security || i.NextToken) return real;
    return {
      ...real,
      DelegatedServices: [
        ...(real.DelegatedServices ?? []),
        ...refused.map((ServicePrincipal) => ({
          ServicePrincipal,
          DelegationEnabledDate: new Date("2026-11-01T00:00:00.000Z"),
        })),
      ],
    };
  });
  return org;
}

/** Which account a client's credentials act in, asked of moto itself. */
async function accountOf(
  endpoint: string,
  client: {
    config: { credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> };
  },
): Promise<string> {
  const sts = new STSClient({ endpoint, region: "us-east-1", credentials: await client.config.credentials() });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account ?? "";
  } finally {
    sts.destroy();
  }
}

export async function seed(endpoint: string, drifts: SandboxDrift[] = []): Promise<Sandbox> {
  return seedSandboxOrganization({ endpoint, drifts });
}

export interface AuditRunOptions {
  now?: Date;
  credentials?: AwsCredentialsInput;
  gaps?: RecordedGaps;
}

export async function audit(sb: Sandbox, o: AuditRunOptions = {}): Promise<AuditResult> {
  const restore = installRecordedGaps(sb.endpoint, o.gaps, o.now, sb);
  try {
    const { result } = await runAuditDetailed({
      manifest: sb.manifest,
      endpointUrl: sb.endpoint,
      credentials: o.credentials ?? { ...sb.credentials },
      now: o.now,
      maxAttempts: 2,
      // moto meters nothing: no backoff or pacing at AWS's rates (the order and count of calls stay the same).
      retryDelayScale: FAST_RETRY_SCALE,
    });
    return result;
  } finally {
    restore();
  }
}

export const withStatus = (r: AuditResult, status: Finding["status"]) => r.findings.filter((f) => f.status === status);
export const brief = (fs: Finding[]) =>
  fs.map((f) => `${f.checkId} ${f.status} ${f.account}/${f.region}: ${f.message}`);

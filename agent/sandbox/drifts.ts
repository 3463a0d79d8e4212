/**
 * Deliberate drifts over a seeded sandbox, one small function each, for the scenario tests and the
 * demo. Each changes the live (moto) state only; the manifest keeps saying what was intended.
 */
import { applyAlertDrift, type AlertDrift } from "./drifts-alerts";
import { DetachPolicyCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { CreateGrantCommand, KMSClient, type GrantOperation } from "@aws-sdk/client-kms";
import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CloudTrailClient, PutEventSelectorsCommand, StopLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { ConfigServiceClient, StopConfigurationRecorderCommand } from "@aws-sdk/client-config-service";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { GuardDutyClient, UpdateDetectorCommand } from "@aws-sdk/client-guardduty";
import { driftGuardDutyDetector, type GuardDutyDetectorChange } from "./drifts-guardduty";
import { accountRoot, bucketArn, roleArn, type PolicyDocument, type Statement } from "../../baseline";
import { SANDBOX } from "./layout";
import { moveCloudTrailTable } from "./seed-athena";
import { createAccount } from "./seed-org";
import { driftCis, type CisDriftChange } from "./seed-cis";
import { driftKey, type KeyDriftChange } from "./drift-keys";
import { driftMemberRole, type MemberRoleDriftChange } from "./drift-roles";
import type { MemberRoleName } from "../../baseline/detection";
import { dropAggregatorRegion, moveScpToWorkloadsOu, unencryptDeliveryChannel } from "./drifts-pipeline";
import { driftLogBucket, type LogBucketChange } from "./drift-log-buckets";
import { deleteStackInstance } from "./seed-stackset";
import { createUnloggedVpc, deleteDefaultVpcFlowLogs } from "./drifts-network";
import { disableTrustedAccess, enableExtraTrustedAccess, registerForeignDelegatedAdministrator } from "./drifts-org";
import { applyAgentDrift, type AgentDrift } from "./drifts-agent";
import { disassociateInspectorMember, turnInspectorAutoEnableOff } from "./drifts-inspector";
import type { InspectorAutoEnableKey } from "../../baseline/detection/inspector";
import type { LogBucketRole } from "../../baseline";
import type { Sandbox } from "./seed";

/**
 * An account of the sandbox by role, because moto draws new account ids on every seed:
 * "management", "log-archive", "security", "member-0", "member-1", … or a literal 12-digit id.
 */
export type AccountRef = "management" | "log-archive" | "security" | `member-${number}` | string;

export type SandboxDrift =
  /** `account`: the foreign account (default 999999999999), not a sandbox account. */
  | { kind: "foreign-principal-in-bucket-policy"; account?: string }
  | { kind: "outsider-grant"; account?: string }
  | { kind: "scp-detached" }
  | { kind: "trail-stopped" }
  /** The trail's management selector narrowed: eventSource NotEquals kms.amazonaws.com next to eventCategory = Management. */
  | { kind: "trail-kms-events-excluded" }
  /** The trail's log group recreated without its KMS key (moto has no DisassociateKmsKey); retention and one event kept. */
  | { kind: "trail-log-group-unencrypted" }
  | { kind: "unenrolled-account"; name?: string }
  | { kind: "object-lock-days"; days: number }
  /** No Resolver query logging configuration in `region` (moto cannot delete one: the seeder leaves it out). */
  | { kind: "dns-query-log-config-missing"; region: string }
  | { kind: "missing-logs"; account: AccountRef }
  | { kind: "config-recorder-stopped"; account: AccountRef; region: string }
  | { kind: "guardduty-disabled"; account: AccountRef; region: string }
  | { kind: "config-channel-unencrypted"; account: AccountRef; region: string }
  | { kind: "config-aggregator-region-dropped"; region: string }
  | { kind: "scp-moved-to-workloads-ou" }
  /** One CIS control's filter or alarm changed (management account, home region). */
  | { kind: "cis"; cisId: string; change: CisDriftChange }
  /** The Athena CloudTrail table pointed at another bucket (security account, home region). */
  | { kind: "athena-table-moved" }
  /** One setting of one log bucket changed (agent/sandbox/drift-log-buckets.ts). */
  | { kind: "log-bucket"; role: LogBucketRole; change: LogBucketChange }
  /** One of the baseline's keys changed ("log-key" or a keys.others handle). */
  | { kind: "key"; key: string; change: KeyDriftChange }
  /** The read role or the forwarder role of one account changed (agent/sandbox/drift-roles.ts). */
  | { kind: "member-role"; account: AccountRef; role: MemberRoleName; change: MemberRoleDriftChange }
  /** The alert pipeline drifted (agent/sandbox/drifts-pipeline.ts). */
  | { kind: "alerts"; drift: AlertDrift }
  /** One account's stack instance of the member-baseline StackSet removed in one region. */
  | { kind: "stackset-instance-missing"; account: AccountRef; region: string }
  /** The flow logs of one account's default VPC in one region deleted. */
  | { kind: "vpc-flow-log-deleted"; account: AccountRef; region: string }
  /** A VPC created in one account and region after the baseline's automation ran: no flow log. */
  | { kind: "vpc-created-unlogged"; account: AccountRef; region: string }
  /** The log-archive account's VPCs of `region` not associated with the shared configuration (moto cannot disassociate: the seeder leaves them out). */
  | { kind: "dns-query-log-association-missing"; region: string }
  /** A GuardDuty detector's feature turned off, or its finding frequency changed (agent/sandbox/drifts-guardduty.ts). */
  | { kind: "guardduty-detector"; account: AccountRef; region: string; change: GuardDutyDetectorChange }
  /** The organization's trusted access for one service principal disabled (management account). */
  | { kind: "trusted-access-disabled"; principal: string }
  /** Trusted access enabled for a service principal infra does not lay. */
  | { kind: "trusted-access-extra"; principal: string }
  /** Another account registered as delegated administrator of a service (e.g. guardduty.amazonaws.com). */
  | { kind: "foreign-delegated-administrator"; account: AccountRef; principal: string }
  /** The audit agent's own deployment drifted (agent/sandbox/drifts-agent.ts). */
  | { kind: "agent"; drift: AgentDrift }
  /** Inspector's organization configuration in `region` no longer auto-enables one scan type (security account). */
  | { kind: "inspector-auto-enable-off"; region: string; scanType: InspectorAutoEnableKey }
  /** One account disassociated from the security account's Inspector in `region`. */
  | { kind: "inspector-member-disassociated"; account: AccountRef; region: string };

export function resolveAccount(sb: Pick<Sandbox, "accounts">, ref: AccountRef): string {
  if (/^\d{12}$/.test(ref)) return ref;
  if (ref === "management") return sb.accounts.management;
  if (ref === "log-archive") return sb.accounts.logArchive;
  if (ref === "security") return sb.accounts.security;
  const m = /^member-(\d+)$/.exec(ref);
  const member = m ? sb.accounts.members[Number(m[1])] : undefined;
  if (member) return member;
  throw new Error(
    `sandbox account "${ref}" is unknown; allowed: management, log-archive, security, member-0..member-${sb.accounts.members.length - 1}, or a 12-digit account id`,
  );
}

const mgmt = (sb: Sandbox) => sb.accounts.management;
const archiveS3 = (sb: Sandbox) => sb.session.client(S3Client, sb.accounts.logArchive, sb.region);

async function readBucketPolicy(s3: S3Client, Bucket: string): Promise<PolicyDocument> {
  const r = await s3.send(new GetBucketPolicyCommand({ Bucket }));
  if (!r.Policy) throw new Error(`bucket ${Bucket} has no policy to change`);
  return JSON.parse(r.Policy) as PolicyDocument;
}

/** Appends an Allow for another account's root to read the archive. Returns the added statement. */
export async function addForeignPrincipalToBucketPolicy(
  sb: Sandbox,
  account = SANDBOX.outsiderAccount,
  sid = "ForeignRead",
): Promise<Statement> {
  const s3 = await archiveS3(sb);
  const doc = await readBucketPolicy(s3, sb.buckets.archive);
  const statement: Statement = {
    Sid: sid,
    Effect: "Allow",
    Principal: { AWS: accountRoot(account) },
    Action: ["s3:GetObject", "s3:ListBucket"],
    Resource: [bucketArn(sb.buckets.archive), `${bucketArn(sb.buckets.archive)}/*`],
  };
  doc.Statement.push(statement);
  await s3.send(new PutBucketPolicyCommand({ Bucket: sb.buckets.archive, Policy: JSON.stringify(doc) }));
  return statement;
}

/** Grants Decrypt on the log key to a role outside the organization. Returns the grant id. */
export async function addOutsiderGrant(
  sb: Sandbox,
  account = SANDBOX.outsiderAccount,
  operations: GrantOperation[] = ["Decrypt"],
): Promise<string> {
  const kms = await sb.session.client(KMSClient, sb.accounts.security, sb.region);
  const r = await kms.send(
    new CreateGrantCommand({
      KeyId: sb.key.id,
      GranteePrincipal: roleArn(account, "outsider"),
      Operations: operations,
      Name: "outsider-decrypt",
    }),
  );
  if (!r.GrantId) throw new Error("CreateGrant returned no grant id");
  return r.GrantId;
}

export async function detachScpFromRoot(sb: Sandbox): Promise<void> {
  const org = await sb.session.client(OrganizationsClient, mgmt(sb), sb.region);
  await org.send(new DetachPolicyCommand({ PolicyId: sb.scpId, TargetId: sb.rootId }));
}

export async function stopTrail(sb: Sandbox): Promise<void> {
  const ct = await sb.session.client(CloudTrailClient, mgmt(sb), sb.region);
  await ct.send(new StopLoggingCommand({ Name: sb.trailName }));
}

/** Narrows the trail as CloudTrail's console offers it ("exclude AWS KMS events"): the category stays Management. */
export async function excludeKmsEvents(sb: Sandbox): Promise<void> {
  const ct = await sb.session.client(CloudTrailClient, mgmt(sb), sb.region);
  await ct.send(
    new PutEventSelectorsCommand({
      TrailName: sb.trailName,
      AdvancedEventSelectors: [
        {
          Name: "Management events",
          FieldSelectors: [
            { Field: "eventCategory", Equals: ["Management"] },
            { Field: "eventSource", NotEquals: ["kms.amazonaws.com"] },
          ],
        },
      ],
    }),
  );
}

export async function recreateLogGroupWithoutKey(sb: Sandbox): Promise<void> {
  const logs = await sb.session.client(CloudWatchLogsClient, mgmt(sb), sb.region);
  const logGroupName = sb.manifest.trail.logGroupName;
  await logs.send(new DeleteLogGroupCommand({ logGroupName }));
  await logs.send(new CreateLogGroupCommand({ logGroupName }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: SANDBOX.logGroupRetentionDays }));
  const logStreamName = `${mgmt(sb)}_CloudTrail_${sb.region}`;
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  await logs.send(
    new PutLogEventsCommand({
      logGroupName,
      logStreamName,
      logEvents: [{ timestamp: Date.now(), message: '{"eventName":"GetCallerIdentity"}' }],
    }),
  );
}

/** Creates an account that stays directly under the root, outside every governed OU. Returns its id. */
export async function createUnenrolledAccount(sb: Sandbox, name = "Unenrolled"): Promise<string> {
  const org = await sb.session.client(OrganizationsClient, mgmt(sb), sb.region);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const id = await createAccount(org, name, `${slug}+${sb.stack}@example.com`);
  sb.extraAccounts.push(id);
  return id;
}

/**
 * Lowers the archive's default retention. Real S3 refuses to shorten COMPLIANCE retention on
 * existing objects but accepts a lower default for new ones — which is the drift. Moto refuses any
 * PutObjectLockConfiguration on a non-empty bucket, so the seeder applies the "object-lock-days"
 * drift before writing log objects; called on a seeded archive this fails with moto's InvalidBucket.
 */
export async function lowerObjectLockDays(
  sb: Pick<Sandbox, "session" | "accounts" | "region" | "buckets">,
  days: number,
): Promise<void> {
  if (!Number.isInteger(days) || days < 1)
    throw new Error(`lowerObjectLockDays: days must be an integer ≥ 1, got ${days}`);
  const s3 = await sb.session.client(S3Client, sb.accounts.logArchive, sb.region);
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: sb.buckets.archive,
      ObjectLockConfiguration: {
        ObjectLockEnabled: "Enabled",
        Rule: { DefaultRetention: { Mode: SANDBOX.lockMode, Days: days } },
      },
    }),
  );
}

/**
 * Hides every CloudTrail object of one account behind a delete marker, as a silently broken
 * delivery looks to a reader: nothing new under the account's prefix. The locked versions stay
 * (Object Lock allows delete markers, not version deletion). Moto enforces the archive policy's
 * object Deny without its conditions, so the policy is lifted for the call and put back.
 * Returns the number of objects hidden.
 */
export async function deleteLogsForAccount(sb: Sandbox, account: string): Promise<number> {
  const s3 = await archiveS3(sb);
  const Bucket = sb.buckets.archive;
  const Prefix = `AWSLogs/${sb.orgId}/${account}/`;
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  if (keys.length === 0) return 0;
  const saved = await readBucketPolicy(s3, Bucket);
  await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
  try {
    for (const Key of keys) await s3.send(new DeleteObjectCommand({ Bucket, Key }));
  } finally {
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(saved) }));
  }
  return keys.length;
}

export async function stopConfigRecorder(sb: Sandbox, account: string, region: string): Promise<void> {
  const config = await sb.session.client(ConfigServiceClient, account, region);
  await config.send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: SANDBOX.configRecorderName }));
}

export async function disableGuardDuty(sb: Sandbox, account: string, region: string): Promise<void> {
  const detectorId = sb.detectors[`${account}/${region}`];
  if (!detectorId) throw new Error(`disableGuardDuty: no seeded detector for account ${account} in ${region}`);
  const gd = await sb.session.client(GuardDutyClient, account, region);
  await gd.send(new UpdateDetectorCommand({ DetectorId: detectorId, Enable: false }));
}

export async function applyDrift(sb: Sandbox, d: SandboxDrift): Promise<void> {
  switch (d.kind) {
    case "agent":
      return applyAgentDrift(sb, d.drift);
    case "foreign-principal-in-bucket-policy":
      return void (await addForeignPrincipalToBucketPolicy(sb, d.account));
    case "outsider-grant":
      return void (await addOutsiderGrant(sb, d.account));
    case "scp-detached":
      return detachScpFromRoot(sb);
    case "trail-stopped":
      return stopTrail(sb);
    case "trail-kms-events-excluded":
      return excludeKmsEvents(sb);
    case "trail-log-group-unencrypted":
      return recreateLogGroupWithoutKey(sb);
    case "unenrolled-account":
      return void (await createUnenrolledAccount(sb, d.name));
    case "object-lock-days":
      // Applied by the seeder before the first log object (see lowerObjectLockDays).
      return;
    case "dns-query-log-config-missing":
      // Applied by the seeder (seedDnsQueryLogs skips the region).
      return;
    case "missing-logs":
      return void (await deleteLogsForAccount(sb, resolveAccount(sb, d.account)));
    case "config-recorder-stopped":
      return stopConfigRecorder(sb, resolveAccount(sb, d.account), d.region);
    case "guardduty-disabled":
      return disableGuardDuty(sb, resolveAccount(sb, d.account), d.region);
    case "guardduty-detector":
      return driftGuardDutyDetector(sb, resolveAccount(sb, d.account), d.region, d.change);
    case "config-channel-unencrypted":
      return unencryptDeliveryChannel(sb, resolveAccount(sb, d.account), d.region);
    case "config-aggregator-region-dropped":
      return dropAggregatorRegion(sb, d.region);
    case "scp-moved-to-workloads-ou":
      return moveScpToWorkloadsOu(sb);
    case "cis":
      return driftCis(
        {
          session: sb.session,
          account: mgmt(sb),
          region: sb.region,
          logGroupName: sb.manifest.trail.logGroupName,
          intent: sb.manifest.detection.cisAlarms,
        },
        d.cisId,
        d.change,
      );
    case "athena-table-moved":
      if (!sb.manifest.athena) throw new Error("athena-table-moved: the sandbox manifest has no athena area");
      return moveCloudTrailTable(sb.session, sb.accounts.security, sb.region, sb.manifest.athena);
    case "alerts":
      return applyAlertDrift(sb, d.drift);
    case "log-bucket":
      return driftLogBucket(sb, d.role, d.change);
    case "key":
      return void (await driftKey(sb, d.key, d.change));
    case "member-role":
      return void (await driftMemberRole(sb, resolveAccount(sb, d.account), d.role, d.change));
    case "stackset-instance-missing":
      return deleteStackInstance(
        sb.session,
        { management: mgmt(sb), home: sb.region, name: sb.manifest.stackSet!.name },
        resolveAccount(sb, d.account),
        d.region,
      );
    case "vpc-flow-log-deleted":
      return void (await deleteDefaultVpcFlowLogs(sb, resolveAccount(sb, d.account), d.region));
    case "vpc-created-unlogged":
      return void (await createUnloggedVpc(sb, resolveAccount(sb, d.account), d.region));
    case "dns-query-log-association-missing":
      // Applied by the seeder (seedNetwork skips the region's associations).
      return;
    case "trusted-access-disabled":
      return disableTrustedAccess(sb, d.principal);
    case "trusted-access-extra":
      return enableExtraTrustedAccess(sb, d.principal);
    case "foreign-delegated-administrator":
      return registerForeignDelegatedAdministrator(sb, resolveAccount(sb, d.account), d.principal);
    case "inspector-auto-enable-off":
      return turnInspectorAutoEnableOff(sb, d.region, d.scanType);
    case "inspector-member-disassociated":
      return disassociateInspectorMember(sb, resolveAccount(sb, d.account), d.region);
    default: {
      const never: never = d;
      throw new Error(
        `unknown sandbox drift ${JSON.stringify(never)}; allowed kinds: foreign-principal-in-bucket-policy, outsider-grant, scp-detached, trail-stopped, trail-kms-events-excluded, trail-log-group-unencrypted, unenrolled-account, object-lock-days, missing-logs, config-recorder-stopped, guardduty-disabled, config-channel-unencrypted, config-aggregator-region-dropped, scp-moved-to-workloads-ou, cis, athena-table-moved, log-bucket, key, member-role, alerts, stackset-instance-missing, dns-query-log-config-missing, vpc-flow-log-deleted, vpc-created-unlogged, dns-query-log-association-missing, guardduty-detector, trusted-access-disabled, trusted-access-extra, foreign-delegated-administrator, agent, inspector-auto-enable-off, inspector-member-disassociated`,
      );
    }
  }
}

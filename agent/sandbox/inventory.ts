/**
 * What the sandbox lays, in infra's terms: each seed records the Pulumi type and logical name of
 * the resource it just created (`session.inventory.lay(...)`, one line beside the create call), so
 * the inventory is what a seed run really laid, never a list kept apart from the seeds.
 * test/agent/sandbox/completeness.test.ts runs the infra program under the Pulumi mocks and fails
 * when a resource that docs/coverage.md says a check audits has no counterpart here — neither laid
 * nor declared in NOT_LAID with the reason.
 *
 * Adding a seed: call `inventory.lay("<pulumi type>", "<logical name or glob>")` right after the
 * call that creates it; the logical name is the infra resource's name, `*` for the parts that
 * vary (account ids, regions, CIS ids), as in docs/coverage.md.
 */

import type { LogBucketRole } from "../../baseline";

export interface LaidResource {
  /** The infra resource's Pulumi type token, e.g. "aws:cloudtrail/trail:Trail". */
  pulumiType: string;
  /** Its logical name in infra, `*` for any characters, e.g. "detection-cis-*-filter". */
  logicalName: string;
}

export interface NotLaid extends LaidResource {
  /** Why the sandbox cannot lay it (what moto lacks), shown in the sandbox's docs. */
  reason: string;
}

export class SandboxInventory {
  private readonly laid = new Map<string, LaidResource>();

  /** Records that the seed just laid the counterpart of this infra resource. */
  lay(pulumiType: string, logicalName: string): void {
    if (!/^[a-z0-9-]+:[A-Za-z0-9/.-]+:[A-Za-z0-9]+$/.test(pulumiType))
      throw new Error(`inventory.lay: "${pulumiType}" is not a Pulumi type token such as aws:s3/bucket:Bucket`);
    if (logicalName === "") throw new Error(`inventory.lay(${pulumiType}): the logical name must not be empty`);
    this.laid.set(`${pulumiType} ${logicalName}`, { pulumiType, logicalName });
  }

  entries(): LaidResource[] {
    return [...this.laid.values()];
  }
}

/**
 * Audited resources the sandbox does not lay, each with the reason; the completeness test lists
 * them and fails when one no longer matches any audited resource of the program.
 */
export const NOT_LAID: readonly NotLaid[] = [
  ...(
    [
      ["aws:guardduty/organizationConfiguration:OrganizationConfiguration", "detection-guardduty-*-organization"],
      ["aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature", "detection-guardduty-*"],
    ] as const
  ).map(([pulumiType, logicalName]) => ({
    pulumiType,
    logicalName,
    reason:
      "moto 5.2.5 implements neither UpdateOrganizationConfiguration nor DescribeOrganizationConfiguration, so the sandbox cannot lay GuardDuty's organization auto-enable and a sandbox audit reports guardduty-organization's configuration finding ERROR in every governed region (MOTO_GAP_CHECKS; the designation, which moto serves, PASSes); the scenarios answer DescribeOrganizationConfiguration recorded, and seed-detection.ts lays on every detector the features the auto-enable would turn on",
  })),
  ...(
    [
      ["aws:securityhub/configurationPolicy:ConfigurationPolicy", "detection-securityhub-policy"],
      [
        "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation",
        "detection-securityhub-policy-root",
      ],
      ["aws:securityhub/findingAggregator:FindingAggregator", "detection-securityhub-aggregator"],
    ] as const
  ).map(([pulumiType, logicalName]) => ({
    pulumiType,
    logicalName,
    reason:
      "moto 5.2.5's Security Hub implements no configuration policy, policy association or finding aggregator (nor ListOrganizationAdminAccounts or GetEnabledStandards), so a sandbox audit reports securityhub-configuration-policy, securityhub-finding-aggregator, securityhub-admin-account and securityhub-standards as ERROR, named as moto gaps (agent/sandbox/demo.ts MOTO_GAP_CHECKS); test/agent/collectors/securityhub-organization-recorded.test.ts answers those reads in AWS's shapes and test/agent/checks/securityhub-organization.test.ts judges them",
  })),
  ...(
    [
      ["aws:iam/role:Role", "detection-config-aggregator-role"],
      ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "detection-config-aggregator-role-policy"],
    ] as const
  ).map(([pulumiType, logicalName]) => ({
    pulumiType,
    logicalName,
    reason:
      "iam-role-trust / iam-role-permissions judge it as the manifest's roles.shared entry config-aggregator-role, but moto attaches no AWS managed policy (AWSConfigRoleForOrganizations) unless started with MOTO_IAM_LOAD_MANAGED_POLICIES, so the sandbox cannot lay it as infra does and its manifest does not list it (test/agent/checks/iam-roles.test.ts judges it); config-aggregator reads the role's ARN on the aggregator, which seedConfigAggregator sets",
  })),
  {
    pulumiType: "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
    logicalName: "detection-config-config-admin",
    reason:
      "moto 5.2.5 refuses config.amazonaws.com as a delegated-administrator service (its list is shorter than AWS's), so delegated-administrators FAILs it in a sandbox audit (MOTO_GAP_CHECKS); the scenario harness answers the security account's delegation recorded",
  },
  ...(
    [
      ["aws:ram/resourceShare:ResourceShare", "dns-query-logs-share-*"],
      ["aws:ram/resourceAssociation:ResourceAssociation", "dns-query-logs-share-config-*"],
      ["aws:ram/principalAssociation:PrincipalAssociation", "dns-query-logs-share-org-*"],
    ] as const
  ).map(([pulumiType, logicalName]) => ({
    pulumiType,
    logicalName,
    reason:
      "moto's RAM refuses a resolver-query-log-config as a share's resource (You cannot share the selected resource type) and drops an organization principal, so in a sandbox audit dns-query-log-share finds no share holding the configuration (FAIL) and dns-query-log-config reads ShareStatus NOT_SHARED; the scenarios answer both recorded (the baseline's share, SHARED_BY_ME), and test/agent/checks/dns-query-log-share.test.ts runs the RAM collector over moto with a resource type it accepts",
  })),
];

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
  );
}

/** Whether an inventory entry (or NOT_LAID declaration) stands for this infra resource. */
export function standsFor(entry: LaidResource, resource: { type: string; name: string }): boolean {
  return entry.pulumiType === resource.type && glob(entry.logicalName).test(resource.name);
}

/** Each log bucket's component name in infra: its parts are named `<prefix>-bucket`, `<prefix>-policy`, … */
const BUCKET_PREFIX: Record<LogBucketRole, string> = {
  archive: "archive",
  "access-log": "access-logs",
  config: "detection-config-bucket",
  "flow-log": "flow-logs",
  "dns-query-log": "dns-query-logs",
  "athena-results": "athena-results",
  report: "audit-agent-reports",
};

const BUCKET_PARTS = {
  bucket: ["aws:s3/bucket:Bucket", "bucket"],
  policy: ["aws:s3/bucketPolicy:BucketPolicy", "policy"],
  versioning: ["aws:s3/bucketVersioning:BucketVersioning", "versioning"],
  encryption: ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "encryption"],
  publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "public-access-block"],
  ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership"],
  lifecycle: ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle"],
  logging: ["aws:s3/bucketLogging:BucketLogging", "logging"],
  objectLock: ["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "object-lock"],
} as const;
export type BucketPart = keyof typeof BUCKET_PARTS;

/** What hardenBucket lays on every log bucket. */
export const HARDENED: readonly BucketPart[] = ["bucket", "versioning", "encryption", "publicAccessBlock", "ownership"];

/** Records parts of one log bucket, named as infra names them. */
export function layBucket(inv: SandboxInventory, role: LogBucketRole, ...parts: readonly BucketPart[]): void {
  for (const p of parts) inv.lay(BUCKET_PARTS[p][0], `${BUCKET_PREFIX[role]}-${BUCKET_PARTS[p][1]}`);
}

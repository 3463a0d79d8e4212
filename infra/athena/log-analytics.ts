import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { minify, type LifecycleIntent, type PolicyDocument } from "../../baseline";
import {
  ANALYST_ROLE,
  analystPolicy,
  analystTrustPolicy,
  CLOUDTRAIL_TABLE,
  cloudTrailTable,
  FLOW_LOG_TABLE,
  flowLogTable,
  NAMED_QUERIES,
  resultsBucketPolicy,
  resultsKeyPolicy,
  resultsLifecycle,
  type TableSpec,
  type WorkgroupSpec,
  workgroupSpec,
} from "../../baseline/athena";
import { hardenedBucket, kmsEncryptionAndExpiry } from "../bucket-parts";
import { customerKey } from "../customer-key";
import type { LaidKey, LaidRole } from "../laid-key";
import { requireProvider } from "../providers";

/** The analyst role's one inline policy. */
export const ANALYST_POLICY_NAME = ANALYST_ROLE.policyName;

export interface LogAnalyticsArgs {
  region: string;
  securityAccountId: pulumi.Input<string>;
  orgId: pulumi.Input<string>;
  databaseName: string;
  workgroupName: string;
  analystRoleName: string;
  /** Roles of the security account that may assume the analyst role (athena.analystPrincipals). */
  analystPrincipals: string[];
  /** Roles that administer the results key (kms.adminRoleNames). */
  keyAdminRoleNames: string[];
  /** The audit read role(s), admitted to read the results key's policy, grants and rotation (never to use it). */
  auditReadRoleNames?: string[];
  archive: { bucketName: string; keyArn: pulumi.Input<string> };
  /** Every region the organization trail logs from. */
  trailRegions: string[];
  /** Absent when network.flowLogs.enabled is false: then there is no flow-log table and no flow-log query. */
  flowLogs?: { bucketName: string; keyArn: pulumi.Input<string>; regions: string[] };
  results: { bucketName: string; keyAliasName: string; retentionDays: number };
  /** Per-query scan limit, bytes. */
  bytesScannedCutoffPerQuery: number;
}

/**
 * Athena over the logs, in the security account: a Glue database with the CloudTrail and flow-log
 * tables (partition projection, baseline/athena/tables.ts), a workgroup whose settings override the
 * client's (results location, SSE-KMS with its own key, scan limit), the responder's saved
 * queries, and the one role allowed to run them (baseline/athena/policies.ts says why one role).
 */
export class LogAnalytics extends pulumi.ComponentResource {
  public readonly database: aws.glue.CatalogDatabase;
  /** The tables laid (the flow-log table only with flow logs). */
  public readonly tableNames: TableSpec["name"][];
  /** The tables' exact specs, for the audit manifest. */
  public readonly tableSpecs: pulumi.Output<TableSpec[]>;
  public readonly workgroup: aws.athena.Workgroup;
  /** The workgroup's settings as laid (baseline/athena/workgroup.ts), for the audit manifest. */
  public readonly workgroupSpec: pulumi.Output<WorkgroupSpec>;
  public readonly resultsKeyArn: pulumi.Output<string>;
  /** The query-results bucket as laid, for the audit manifest's logBuckets entry (athena-results). */
  public readonly results: {
    bucketName: string;
    policyDocument: pulumi.Output<PolicyDocument>;
    lifecycleIntent: LifecycleIntent;
  };
  public readonly analystRoleArn: pulumi.Output<string>;
  public readonly analystPolicyDocument: pulumi.Output<PolicyDocument>;
  /** The results key and the analyst role as laid, for the audit manifest's `keys` and `roles`. */
  public readonly laidKey: LaidKey;
  public readonly laidRole: LaidRole;

  constructor(name: string, args: LogAnalyticsArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:athena:LogAnalytics", name, opts);
    if (args.analystPrincipals.length === 0)
      throw new Error(
        `LogAnalytics "${name}": analystPrincipals must name at least one role (athena.analystPrincipals)`,
      );
    super("orgwarden:athena:LogAnalytics", name, {}, opts);
    const results = { ...args.results };
    const policyInput = (securityAccountId: string) => ({
      bucketName: results.bucketName,
      securityAccountId,
      region: args.region,
      analystRoleName: args.analystRoleName,
      adminRoleNames: args.keyAdminRoleNames,
      ...(args.auditReadRoleNames ? { auditReadRoleNames: args.auditReadRoleNames } : {}),
    });
    const sec = pulumi.output(args.securityAccountId);
    const keyPolicyDocument = sec.apply((s) => resultsKeyPolicy(policyInput(s)));
    const key = customerKey(this, {
      names: { key: `${name}-results-key`, alias: `${name}-results-key-alias` },
      description: "orgwarden: encrypts Athena query results over the logs",
      policy: keyPolicyDocument.apply(minify),
      aliasName: results.keyAliasName,
      symmetricAndTagged: true,
    }).key;
    this.resultsKeyArn = key.arn;
    this.laidKey = {
      name: "athena-results-key",
      purpose: "the Athena query results bucket's key",
      keyArn: key.arn,
      aliasName: results.keyAliasName,
      policyDocument: keyPolicyDocument,
    };
    const fam = hardenedBucket(`${name}-results`, results.bucketName, this);
    this.results = {
      bucketName: results.bucketName,
      policyDocument: sec.apply((s) => resultsBucketPolicy(policyInput(s))),
      lifecycleIntent: resultsLifecycle(results.retentionDays),
    };
    kmsEncryptionAndExpiry(this, `${name}-results`, fam, key.arn, this.results.lifecycleIntent);
    new aws.s3.BucketPolicy(
      `${name}-results-policy`,
      { bucket: fam.bucket.id, policy: this.results.policyDocument.apply(minify) },
      { parent: this, dependsOn: [fam.publicAccessBlock, fam.ownership] },
    );
    this.database = new aws.glue.CatalogDatabase(
      `${name}-database`,
      { name: args.databaseName, description: "orgwarden: the organization's logs, for Athena" },
      { parent: this },
    );
    const specs = this.tableSpecsOf(args);
    this.tableSpecs = pulumi.all(specs);
    this.tableNames = this.layTables(name, specs);
    // One value lays the workgroup and is published as its intended state: only the key and the account are unknown at preview.
    const wg = workgroupSpec<pulumi.Input<string>>({
      name: args.workgroupName,
      resultsBucketName: results.bucketName,
      resultsKeyArn: key.arn,
      securityAccountId: args.securityAccountId,
      bytesScannedCutoffPerQuery: args.bytesScannedCutoffPerQuery,
    });
    this.workgroupSpec = pulumi.output(wg);
    this.workgroup = new aws.athena.Workgroup(
      `${name}-workgroup`,
      {
        name: wg.name,
        description: wg.description,
        state: wg.state,
        forceDestroy: false,
        configuration: {
          enforceWorkgroupConfiguration: wg.enforced,
          publishCloudwatchMetricsEnabled: wg.publishMetrics,
          bytesScannedCutoffPerQuery: wg.bytesScannedCutoff,
          resultConfiguration: {
            outputLocation: wg.resultsLocation,
            encryptionConfiguration: { encryptionOption: wg.encryption.option, kmsKeyArn: wg.encryption.kmsKeyArn },
            expectedBucketOwner: wg.expectedBucketOwner,
          },
        },
      },
      { parent: this },
    );
    for (const q of NAMED_QUERIES.filter((n) => this.tableNames.includes(n.table))) {
      new aws.athena.NamedQuery(
        `${name}-query-${q.id}`,
        {
          name: q.name,
          description: q.description,
          database: args.databaseName,
          workgroup: this.workgroup.name,
          query: q.sql,
        },
        { parent: this, dependsOn: [this.database] },
      );
    }
    const trustPolicy = sec.apply((s) => analystTrustPolicy(s, args.analystPrincipals));
    const role = new aws.iam.Role(
      `${name}-analyst-role`,
      {
        name: args.analystRoleName,
        description: "orgwarden: the only principal Athena reads the CloudTrail archive and the flow logs as",
        assumeRolePolicy: trustPolicy.apply(minify),
        maxSessionDuration: 3600,
      },
      { parent: this },
    );
    this.analystRoleArn = role.arn;
    this.analystPolicyDocument = pulumi
      .all([sec, args.orgId, args.archive.keyArn, args.flowLogs?.keyArn ?? "", key.arn])
      .apply(([securityAccountId, orgId, logKeyArn, flowLogKeyArn, resultsKeyArn]) =>
        analystPolicy({
          region: args.region,
          securityAccountId,
          orgId,
          workgroupName: args.workgroupName,
          databaseName: args.databaseName,
          archiveBucketName: args.archive.bucketName,
          logKeyArn,
          ...(args.flowLogs ? { flowLogs: { bucketName: args.flowLogs.bucketName, keyArn: flowLogKeyArn } } : {}),
          resultsBucketName: results.bucketName,
          resultsKeyArn,
        }),
      );
    new aws.iam.RolePolicy(
      `${name}-analyst-policy`,
      { role: role.name, name: ANALYST_POLICY_NAME, policy: this.analystPolicyDocument.apply(minify) },
      { parent: this },
    );
    this.laidRole = {
      name: ANALYST_ROLE.entry,
      purpose: ANALYST_ROLE.purpose,
      account: args.securityAccountId,
      roleName: args.analystRoleName,
      trustPolicy,
      inlinePolicies: { [ANALYST_POLICY_NAME]: this.analystPolicyDocument },
      managedPolicyArns: [],
    };
    this.registerOutputs({ workgroupName: this.workgroup.name, analystRoleArn: this.analystRoleArn });
  }

  private tableSpecsOf(args: LogAnalyticsArgs): pulumi.Output<TableSpec>[] {
    const trail = pulumi
      .output(args.orgId)
      .apply((orgId) =>
        cloudTrailTable({ archiveBucketName: args.archive.bucketName, orgId, regions: args.trailRegions }),
      );
    if (!args.flowLogs) return [trail];
    return [
      trail,
      pulumi.output(flowLogTable({ flowLogBucketName: args.flowLogs.bucketName, regions: args.flowLogs.regions })),
    ];
  }

  private layTables(name: string, specs: pulumi.Output<TableSpec>[]): TableSpec["name"][] {
    const names = [CLOUDTRAIL_TABLE, FLOW_LOG_TABLE].slice(0, specs.length);
    names.forEach((table, n) => {
      const spec = specs[n];
      new aws.glue.CatalogTable(
        `${name}-table-${table.replaceAll("_", "-")}`,
        {
          name: table,
          databaseName: this.database.name,
          description: spec.description,
          tableType: "EXTERNAL_TABLE",
          parameters: spec.parameters,
          partitionKeys: spec.partitionKeys,
          storageDescriptor: {
            location: spec.location,
            inputFormat: spec.inputFormat,
            outputFormat: spec.outputFormat,
            serDeInfo: { serializationLibrary: spec.serializationLibrary },
            columns: spec.columns,
          },
        },
        { parent: this },
      );
    });
    return names;
  }
}

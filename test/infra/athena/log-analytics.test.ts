/** Athena over the logs, as both example stacks plan it (Pulumi mock runtime), with exact inputs. */
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../../harness/run-program";
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../../../baseline";
import {
  analystPolicy,
  analystTrustPolicy,
  cloudTrailTable,
  flowLogTable,
  NAMED_QUERIES,
  resultsBucketPolicy,
  resultsKeyPolicy,
} from "../../../baseline/athena";
import { COMMERCIAL_REGIONS } from "../../../infra/config-fields";
import { DEPLOY_ROLE, EXPECTED } from "../expected";
import { doc, one, ofType, providerUrn, runStack, STACKS } from "../stack";

describe.each(STACKS)("LogAnalytics (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  const db = `orgwarden_${stack}_logs`;
  const wg = `orgwarden-${stack}-logs`;
  const results = x.athena.resultsBucket;
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });
  const policyInput = () => ({
    bucketName: results,
    securityAccountId: x.securityId,
    region: x.home,
    analystRoleName: "orgwarden-log-analyst",
    adminRoleNames: [DEPLOY_ROLE],
  });

  it("lays every Athena resource in the security account", () => {
    const mine = run.resources.filter((r) => r.name.startsWith("athena-") && r.custom);
    expect(mine.map((r) => r.name).sort()).toEqual(
      [
        "athena-analyst-policy",
        "athena-analyst-role",
        "athena-database",
        ...NAMED_QUERIES.map((q) => `athena-query-${q.id}`),
        "athena-results-bucket",
        "athena-results-encryption",
        "athena-results-key",
        "athena-results-key-alias",
        "athena-results-lifecycle",
        "athena-results-ownership",
        "athena-results-policy",
        "athena-results-public-access-block",
        "athena-results-versioning",
        "athena-table-cloudtrail",
        "athena-table-vpc-flow-logs",
        "athena-workgroup",
      ].sort(),
    );
    for (const r of mine) expect(r.provider, r.name).toBe(providerUrn(run, "security"));
  });

  it("catalogues the CloudTrail archive and the flow logs with partition projection, exactly as baseline/athena defines them", () => {
    expect(one(run, "aws:glue/catalogDatabase:CatalogDatabase", "athena-database").inputs).toEqual({
      name: db,
      description: "orgwarden: the organization's logs, for Athena",
    });
    const specs = [
      cloudTrailTable({ archiveBucketName: x.archive, orgId: x.orgId, regions: COMMERCIAL_REGIONS }),
      flowLogTable({ flowLogBucketName: x.flowLogs, regions: x.governedRegions }),
    ];
    for (const spec of specs) {
      const t = one(run, "aws:glue/catalogTable:CatalogTable", `athena-table-${spec.name.replaceAll("_", "-")}`);
      expect(t.inputs).toEqual({
        name: spec.name,
        databaseName: db,
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
      });
    }
    const trail = specs[0].parameters;
    expect(trail["storage.location.template"]).toBe(
      `s3://${x.archive}/AWSLogs/${x.orgId}/\${account}/CloudTrail/\${region}/\${day}`,
    );
    expect(specs[1].parameters["storage.location.template"]).toBe(
      `s3://${x.flowLogs}/AWSLogs/\${account}/vpcflowlogs/\${region}/\${day}/\${hour}`,
    );
    expect(specs[1].parameters["projection.region.values"]).toBe([...x.governedRegions].sort().join(","));
  });

  it("enforces the workgroup's configuration: results SSE-KMS in the results bucket, the stack's scan limit", () => {
    const key = one(run, "aws:kms/key:Key", "athena-results-key");
    expect(one(run, "aws:athena/workgroup:Workgroup", "athena-workgroup").inputs).toEqual({
      name: wg,
      description: "orgwarden: responder queries over the CloudTrail archive and the flow logs",
      state: "ENABLED",
      forceDestroy: false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: x.athena.cutoffGb * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${results}/results/`,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: key.outputs.arn },
          expectedBucketOwner: x.securityId,
        },
      },
    });
  });

  it("keeps results in a protected, private, TLS-only bucket under their own key, expiring at the stack's retention", () => {
    const b = one(run, "aws:s3/bucket:Bucket", "athena-results-bucket");
    expect(b.inputs).toEqual({ bucket: results, forceDestroy: false });
    expect(b.protect).toBe(true);
    const key = one(run, "aws:kms/key:Key", "athena-results-key");
    expect(key.protect).toBe(true);
    const { policy, ...rest } = key.inputs;
    expect(rest).toEqual({
      description: "orgwarden: encrypts Athena query results over the logs",
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { [PROTECT_TAG_KEY]: PROTECT_TAG_VALUE },
    });
    // The audit read role reads the key (policy, grants, rotation), never uses it: baseline AuditAgentRead.
    expect(doc(policy)).toEqual(resultsKeyPolicy({ ...policyInput(), auditReadRoleNames: ["orgwarden-audit-read"] }));
    expect(one(run, "aws:kms/alias:Alias", "athena-results-key-alias").inputs).toEqual({
      name: `alias/orgwarden-${stack}-query-results`,
      targetKeyId: key.outputs.keyId,
    });
    expect(doc(one(run, "aws:s3/bucketPolicy:BucketPolicy", "athena-results-policy").inputs.policy)).toEqual(
      resultsBucketPolicy(policyInput()),
    );
    expect(
      one(
        run,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "athena-results-encryption",
      ).inputs,
    ).toEqual({
      bucket: results,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.outputs.arn },
          bucketKeyEnabled: false,
        },
      ],
    });
    const lifecycle = one(
      run,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "athena-results-lifecycle",
    );
    expect(lifecycle.inputs.rules).toEqual([
      {
        id: "expire-query-results",
        status: "Enabled",
        filter: {},
        expiration: { days: x.athena.resultRetentionDays },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ]);
  });

  it("saves the five responder queries in the workgroup, on the log database", () => {
    for (const q of NAMED_QUERIES) {
      expect(one(run, "aws:athena/namedQuery:NamedQuery", `athena-query-${q.id}`).inputs).toEqual({
        name: q.name,
        description: q.description,
        database: db,
        workgroup: wg,
        query: q.sql,
      });
    }
    expect(ofType(run, "aws:athena/namedQuery:NamedQuery")).toHaveLength(5);
  });

  it("lays the analyst role with a trust naming only the configured principals, and its read-only policy", () => {
    const role = one(run, "aws:iam/role:Role", "athena-analyst-role");
    const { assumeRolePolicy, ...rest } = role.inputs;
    expect(rest).toEqual({
      name: "orgwarden-log-analyst",
      description: "orgwarden: the only principal Athena reads the CloudTrail archive and the flow logs as",
      maxSessionDuration: 3600,
    });
    expect(doc(assumeRolePolicy)).toEqual(analystTrustPolicy(x.securityId, x.athena.analystPrincipals));
    const p = one(run, "aws:iam/rolePolicy:RolePolicy", "athena-analyst-policy");
    expect(p.inputs.role).toBe("orgwarden-log-analyst");
    expect(p.inputs.name).toBe("log-analyst");
    expect(doc(p.inputs.policy)).toEqual(
      analystPolicy({
        region: x.home,
        securityAccountId: x.securityId,
        orgId: x.orgId,
        workgroupName: wg,
        databaseName: db,
        archiveBucketName: x.archive,
        logKeyArn: one(run, "aws:kms/key:Key", "log-key-key").outputs.arn as string,
        flowLogs: {
          bucketName: x.flowLogs,
          keyArn: one(run, "aws:kms/key:Key", "flow-logs-key").outputs.arn as string,
        },
        resultsBucketName: results,
        resultsKeyArn: one(run, "aws:kms/key:Key", "athena-results-key").outputs.arn as string,
      }),
    );
    expect(run.outputs.athenaWorkgroupName).toBe(wg);
    expect(run.outputs.logAnalystRoleArn).toBe(role.outputs.arn);
  });

  it("publishes the catalogue and the workgroup it laid in the audit manifest's athena area", () => {
    const manifest = run.outputs.auditManifest as { athena?: unknown };
    const key = one(run, "aws:kms/key:Key", "athena-results-key");
    expect(manifest.athena).toEqual({
      databaseName: db,
      workgroupName: wg,
      tables: [
        cloudTrailTable({ archiveBucketName: x.archive, orgId: x.orgId, regions: COMMERCIAL_REGIONS }),
        flowLogTable({ flowLogBucketName: x.flowLogs, regions: x.governedRegions }),
      ],
      workgroup: {
        name: wg,
        description: "orgwarden: responder queries over the CloudTrail archive and the flow logs",
        state: "ENABLED",
        enforced: true,
        publishMetrics: true,
        bytesScannedCutoff: x.athena.cutoffGb * 1024 ** 3,
        resultsLocation: `s3://${results}/results/`,
        encryption: { option: "SSE_KMS", kmsKeyArn: key.outputs.arn },
        expectedBucketOwner: x.securityId,
      },
    });
  });

  it("publishes the workgroup's settings as the very values it lays (one spec, baseline/athena/workgroup.ts)", () => {
    const laid = one(run, "aws:athena/workgroup:Workgroup", "athena-workgroup").inputs as {
      name: string;
      state: string;
      configuration: {
        enforceWorkgroupConfiguration: boolean;
        publishCloudwatchMetricsEnabled: boolean;
        bytesScannedCutoffPerQuery: number;
        resultConfiguration: {
          outputLocation: string;
          encryptionConfiguration: { encryptionOption: string; kmsKeyArn: string };
          expectedBucketOwner: string;
        };
      };
    };
    const c = laid.configuration;
    const published = (run.outputs.auditManifest as { athena: { workgroup: Record<string, unknown> } }).athena
      .workgroup;
    expect(published).toMatchObject({
      name: laid.name,
      state: laid.state,
      enforced: c.enforceWorkgroupConfiguration,
      publishMetrics: c.publishCloudwatchMetricsEnabled,
      bytesScannedCutoff: c.bytesScannedCutoffPerQuery,
      resultsLocation: c.resultConfiguration.outputLocation,
      encryption: {
        option: c.resultConfiguration.encryptionConfiguration.encryptionOption,
        kmsKeyArn: c.resultConfiguration.encryptionConfiguration.kmsKeyArn,
      },
      expectedBucketOwner: c.resultConfiguration.expectedBucketOwner,
    });
  });
});

describe("LogAnalytics off", () => {
  it("athena.enabled false lays no Athena resource and grants the analyst nothing", async () => {
    const run = await runStack("dev", { "athena.enabled": "false" });
    expect(run.resources.filter((r) => r.name.startsWith("athena-"))).toEqual([]);
    expect(JSON.stringify(run.resources.map((r) => r.inputs))).not.toContain("orgwarden-log-analyst");
    expect((run.outputs.auditManifest as { athena?: unknown }).athena).toBeUndefined();
  });
});

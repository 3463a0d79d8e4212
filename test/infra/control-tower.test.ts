/**
 * controlTower.enabled on each example stack (exact inputs, Pulumi mock runtime): no second trail,
 * archive, log key or Config recorder where Control Tower owns them, and the manifest names
 * Control Tower's resources.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseAuditManifest } from "../../baseline";
import type { ProgramRun } from "../../harness/run-program";
import { CT_KEY, CT_LOG_ARCHIVE, controlTowerOverrides } from "./control-tower-config";
import { doc, ofType, one, runStack, type StackName } from "./stack";

const HOME = { dev: "eu-west-1", prod: "us-east-1" } as const;
const MANAGEMENT = { dev: "111122223333", prod: "444455556666" } as const;
const CT_ROLE = "arn:aws:iam::*:role/AWSControlTowerExecution";

/** What orgwarden lays for its own trail, archive and log keys, and none of it under Control Tower. */
const NOT_LAID = [
  "aws:cloudtrail/trail:Trail org-trail-trail",
  "aws:cloudwatch/logGroup:LogGroup org-trail-log-group",
  "aws:iam/role:Role log-auditor-role",
  "aws:iam/role:Role org-trail-logs-role",
  "aws:iam/rolePolicy:RolePolicy log-auditor-policy",
  "aws:iam/rolePolicy:RolePolicy org-trail-logs-role-policy",
  "aws:kms/alias:Alias log-group-key-alias",
  "aws:kms/alias:Alias log-key-alias",
  "aws:kms/key:Key log-group-key-key",
  "aws:kms/key:Key log-key-key",
  "aws:s3/bucket:Bucket archive-bucket",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration archive-lifecycle",
  "aws:s3/bucketLogging:BucketLogging archive-logging",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration archive-object-lock",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls archive-ownership",
  "aws:s3/bucketPolicy:BucketPolicy archive-policy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock archive-public-access-block",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration archive-encryption",
  "aws:s3/bucketVersioning:BucketVersioning archive-versioning",
  "orgwarden:audit:LogAuditorRole log-auditor",
  "orgwarden:cloudtrail:OrgTrail org-trail",
  "orgwarden:kms:LogGroupKey log-group-key",
  "orgwarden:kms:LogKey log-key",
  "orgwarden:s3:ArchiveBucket archive",
];

const CONFIG_TYPES = [
  "AWS::Config::ConfigurationRecorder",
  "AWS::Config::DeliveryChannel",
  "AWS::IAM::ServiceLinkedRole",
];
const label = (r: { type: string; name: string }) => `${r.type} ${r.name}`;

function template(body: unknown): { Parameters: Record<string, unknown>; Resources: Record<string, { Type: string }> } {
  return doc(body) as ReturnType<typeof template>;
}
const configResources = (body: unknown) =>
  Object.values(template(body).Resources)
    .map((r) => r.Type)
    .filter((t) => CONFIG_TYPES.includes(t))
    .sort();

const runs: Partial<Record<StackName, ProgramRun>> = {};
let devBaseline: ProgramRun;

/** dev's StackSet leaves out the Security OU, so its log-archive and security accounts get direct stacks (Control Tower enrolls them). */
const DEV_TARGETS = { "stackSet.targetOus": JSON.stringify(["Workloads"]) };

beforeAll(async () => {
  runs.dev = await runStack("dev", { ...controlTowerOverrides("dev"), ...DEV_TARGETS });
  runs.prod = await runStack("prod", controlTowerOverrides("prod"));
  // The dev stack on the same adopted organization and accounts, without Control Tower.
  const ct = controlTowerOverrides("dev");
  devBaseline = await runStack("dev", {
    ...Object.fromEntries(
      // Athena off on both sides (it is refused under Control Tower), so the difference is Control Tower's alone.
      Object.entries(ct).filter(
        ([k]) => k.startsWith("organization.") || k.endsWith(".accountId") || k.startsWith("athena."),
      ),
    ),
    ...DEV_TARGETS,
  });
});

describe("controlTower.enabled: what is not laid", () => {
  it("dev: exactly orgwarden's trail, archive, log keys and log auditor are gone, nothing is added", () => {
    const ct = new Set(runs.dev!.resources.map(label));
    const base = new Set(devBaseline.resources.map(label));
    expect([...base].filter((r) => !ct.has(r)).sort()).toEqual(NOT_LAID);
    expect([...ct].filter((r) => !base.has(r))).toEqual([]);
  });

  it.each(["dev", "prod"] as const)(
    "%s: no trail, no orgwarden archive bucket or log key, nothing unmocked",
    (stack) => {
      const run = runs[stack]!;
      expect(ofType(run, "aws:cloudtrail/trail:Trail")).toEqual([]);
      expect(run.resources.map(label).filter((r) => NOT_LAID.includes(r))).toEqual([]);
      expect(ofType(run, "aws:s3/bucket:Bucket").map((b) => b.inputs.bucket)).not.toContain(
        `orgwarden-${stack}-cloudtrail-${MANAGEMENT[stack]}`,
      );
      expect(run.unmockedCalls).toEqual([]);
    },
  );

  it.each(["dev", "prod"] as const)(
    "%s: the member StackSet lays no Config recorder, delivery channel or Config role; the management account's stacks do",
    (stack) => {
      const run = runs[stack]!;
      const set = one(run, "aws:cloudformation/stackSet:StackSet", "detection-member-baseline-stackset");
      expect(configResources(set.inputs.templateBody)).toEqual([]);
      expect(Object.keys(template(set.inputs.templateBody).Parameters)).toEqual(["CreateDhmcRole"]);
      expect(Object.keys(template(set.inputs.templateBody).Resources)).toContain("AuditReadRole");
      const stacks = ofType(run, "aws:cloudformation/stack:Stack");
      const byAccount = (account: string) => stacks.filter((s) => s.name.startsWith(`detection-${account}-baseline-`));
      // Control Tower never records the management account: orgwarden's recorder stays there.
      for (const s of byAccount("management")) {
        expect(configResources(s.inputs.templateBody)).toEqual(CONFIG_TYPES.slice().sort());
        expect(Object.keys(s.inputs.parameters).sort()).toEqual(["CreateConfigServiceLinkedRole", "CreateDhmcRole"]);
      }
      // Here dev does not target the Security OU: its log-archive and security accounts get direct stacks, Control Tower's recorder.
      const others = [...byAccount("logArchive"), ...byAccount("security")];
      expect(others.length).toBe(stack === "dev" ? 4 : 0);
      for (const s of others) {
        expect(configResources(s.inputs.templateBody)).toEqual([]);
        expect(Object.keys(s.inputs.parameters)).toEqual(["CreateDhmcRole"]);
      }
    },
  );
});

describe("controlTower.enabled: what is referenced and audited", () => {
  it.each(["dev", "prod"] as const)("%s: the manifest names Control Tower's trail, buckets and key", (stack) => {
    const run = runs[stack]!;
    const m = parseAuditManifest(run.outputs.auditManifest);
    const home = HOME[stack];
    const logArchive = CT_LOG_ARCHIVE[stack];
    expect(m.trail).toEqual({
      name: "aws-controltower-BaselineCloudTrail",
      arn: `arn:aws:cloudtrail:${home}:${MANAGEMENT[stack]}:trail/aws-controltower-BaselineCloudTrail`,
      homeRegion: home,
      isOrganizationTrail: true,
      logGroupName: "aws-controltower/CloudTrailLogs",
      logGroupRetentionDays: stack === "dev" ? 14 : 400,
      dataEvents: { s3: false, lambda: false },
    });
    expect(m.archive).toEqual({
      bucketName: `aws-controltower-logs-${logArchive}-${home}`,
      accessLogBucketName: `aws-controltower-s3-access-logs-${logArchive}-${home}`,
      objectLock: stack === "dev" ? { mode: "GOVERNANCE", days: 7 } : { mode: "COMPLIANCE", days: 400 },
    });
    expect(m.key).toEqual({ arn: CT_KEY[stack], allowedGrantees: [] });
    expect(m.controlTower).toEqual({
      executionRoleName: "AWSControlTowerExecution",
      configRecorderName: "aws-controltower-BaselineConfigRecorder",
      deliveryChannelName: "aws-controltower-BaselineConfigDeliveryChannel",
    });
    expect(m.audit.logAuditorRoleArn).toBeUndefined();
    expect(run.outputs.trailArn).toBe(m.trail.arn);
    expect(run.outputs.archiveBucketName).toBe(m.archive.bucketName);
    expect(run.outputs.logKeyArn).toBe(CT_KEY[stack]);
    expect(run.outputs).not.toHaveProperty("logGroupKeyArn");
  });

  it.each(["dev", "prod"] as const)("%s: the CIS metric filters are laid on Control Tower's log group", (stack) => {
    const filters = ofType(runs[stack]!, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
    expect(filters.length).toBeGreaterThan(0);
    expect([...new Set(filters.map((f) => f.inputs.logGroupName))]).toEqual(["aws-controltower/CloudTrailLogs"]);
  });

  it.each(["dev", "prod"] as const)(
    "%s: every SCP statement exempts AWSControlTowerExecution, and Control Tower's buckets and their objects are protected",
    (stack) => {
      const run = runs[stack]!;
      const home = HOME[stack];
      const logArchive = CT_LOG_ARCHIVE[stack];
      const policies = ofType(run, "aws:organizations/policy:Policy").map(
        (p) =>
          doc(p.inputs.content) as {
            Statement: Array<{
              Sid: string;
              Resource: string | string[];
              Condition?: Record<string, Record<string, string[]>>;
            }>;
          },
      );
      expect(policies).toHaveLength(3);
      for (const st of policies.flatMap((p) => p.Statement).filter((s) => s.Condition?.ArnNotLike))
        expect(st.Condition!.ArnNotLike["aws:PrincipalArn"]).toContain(CT_ROLE);
      const buckets = policies[0].Statement.find((s) => s.Sid === "DenyLogBucketTampering")!;
      const ctBuckets = [
        `aws-controltower-logs-${logArchive}-${home}`,
        `aws-controltower-s3-access-logs-${logArchive}-${home}`,
      ];
      expect(buckets.Resource).toEqual(
        expect.arrayContaining(ctBuckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`])),
      );
      expect(buckets.Resource).not.toContain(`arn:aws:s3:::orgwarden-${stack}-cloudtrail-${MANAGEMENT[stack]}`);
    },
  );
});

import { describe, expect, it } from "vitest";
import {
  buildAuditManifest,
  ManifestValidationError,
  parseAuditManifest,
  type AuditManifestInput,
} from "../../baseline";
import { CIS_FILTERS, CIS_METRIC_NAMESPACE } from "../../baseline/detection";
import { docs } from "./fixtures";
import { validManifestInput } from "./manifest-fixture";
import { agentArea } from "../agent/checks/audit-agent-fixtures";
import { logBucketIntents } from "../agent/checks/fixtures";

/** Runs parseAuditManifest on a broken copy and returns the problems it reported. */
function problemsOf(breakIt: (m: any) => void): string[] {
  const m = validManifestInput();
  breakIt(m);
  try {
    parseAuditManifest(m);
  } catch (e) {
    if (e instanceof ManifestValidationError) return e.problems;
    throw e;
  }
  throw new Error("manifest was accepted");
}

describe("parseAuditManifest / buildAuditManifest: a valid manifest", () => {
  it("is accepted with the real baseline documents embedded unchanged", () => {
    const m = buildAuditManifest(validManifestInput());
    expect(m.archive.expectedBucketPolicy).toEqual(docs.archive);
    expect(m.key.expectedKeyPolicy).toEqual(docs.key);
    expect(m.scps[0].content).toEqual(docs.scp);
    expect(m.organization.managementAccountId).toBe("111111111111");
    expect(m.trail.arn).toBe("arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-org-trail");
  });

  it("under controlTower, accepts the archive and key without the policy documents orgwarden does not lay", () => {
    const input = validManifestInput() as any;
    delete input.archive.expectedBucketPolicy;
    delete input.key.expectedKeyPolicy;
    const controlTower = {
      executionRoleName: "AWSControlTowerExecution",
      configRecorderName: "aws-controltower-BaselineConfigRecorder",
      deliveryChannelName: "aws-controltower-BaselineConfigDeliveryChannel",
    };
    const m = parseAuditManifest({ ...input, controlTower });
    expect(m.controlTower).toEqual(controlTower);
    expect(m.archive.expectedBucketPolicy).toBeUndefined();
    expect(m.key.expectedKeyPolicy).toBeUndefined();
  });

  it("defaults the delivery threshold to 60 minutes and the digest threshold to 120 when thresholds are absent", () => {
    expect(parseAuditManifest(validManifestInput()).thresholds).toEqual({
      deliveryMaxAgeMinutes: 60,
      digestMaxAgeMinutes: 120,
    });
  });

  it("defaults both thresholds when thresholds is an empty object", () => {
    expect(parseAuditManifest({ ...validManifestInput(), thresholds: {} }).thresholds).toEqual({
      deliveryMaxAgeMinutes: 60,
      digestMaxAgeMinutes: 120,
    });
  });

  it("keeps an explicit delivery threshold; the digest default is one digest period (60 min) above it", () => {
    expect(
      parseAuditManifest({ ...validManifestInput(), thresholds: { deliveryMaxAgeMinutes: 90 } }).thresholds,
    ).toEqual({ deliveryMaxAgeMinutes: 90, digestMaxAgeMinutes: 150 });
  });

  it("keeps an explicit digest threshold", () => {
    expect(
      parseAuditManifest({ ...validManifestInput(), thresholds: { digestMaxAgeMinutes: 180 } }).thresholds,
    ).toEqual({ deliveryMaxAgeMinutes: 60, digestMaxAgeMinutes: 180 });
  });

  it("parses its own output to the same manifest (the Lambda re-validates what infra published)", () => {
    const m = buildAuditManifest({ ...validManifestInput(), thresholds: { deliveryMaxAgeMinutes: 30 } });
    expect(m.thresholds).toEqual({ deliveryMaxAgeMinutes: 30, digestMaxAgeMinutes: 90 });
    expect(parseAuditManifest(m)).toEqual(m);
  });

  it("carries the 15 CIS filters and alarms of the baseline, with their patterns, metrics and topic", () => {
    const cis = buildAuditManifest(validManifestInput()).detection.cisAlarms;
    expect(cis.topicArn).toBe("arn:aws:sns:us-east-1:111111111111:orgwarden-cis-alarms");
    expect(cis.metricNamespace).toBe(CIS_METRIC_NAMESPACE);
    expect(cis.filters.map((f) => f.cisId)).toEqual(CIS_FILTERS.map((f) => f.id));
    expect(cis.filters[2]).toEqual({
      cisId: "4.3",
      filterName: "cis-4-3-RootAccountUsage",
      alarmName: "cis-4-3-RootAccountUsage",
      metricName: "RootAccountUsage",
      pattern: CIS_FILTERS[2].pattern,
    });
  });

  it("defaults generatedBy to orgwarden", () => {
    expect(parseAuditManifest(validManifestInput()).generatedBy).toBe("orgwarden");
  });

  it("round-trips through JSON (what SSM Parameter Store and the stack output hold)", () => {
    const m = buildAuditManifest(validManifestInput());
    expect(parseAuditManifest(JSON.parse(JSON.stringify(m)))).toEqual(m);
  });
});

describe("parseAuditManifest: malformed manifests are rejected naming the exact path", () => {
  it.each<[string, (m: any) => void, string]>([
    [
      "a short management account id",
      (m) => (m.organization.managementAccountId = "11111111111"),
      "organization.managementAccountId: must be a 12-digit AWS account id",
    ],
    [
      "a security account id with letters",
      (m) => (m.organization.securityAccountId = "33333333333a"),
      "organization.securityAccountId: must be a 12-digit AWS account id",
    ],
    [
      "a malformed organization id",
      (m) => (m.organization.id = "org-a1b2c3"),
      "organization.id: must be an organization id such as o-abc123def4",
    ],
    [
      "a malformed root id",
      (m) => (m.organization.rootId = "root"),
      "organization.rootId: must be a root id such as r-ab12",
    ],
    [
      "a malformed OU id",
      (m) => (m.organization.governedOus[1].id = "ou-1"),
      "organization.governedOus[1].id: must be an OU id",
    ],
    [
      "a bad governed region",
      (m) => (m.regions.governed[1] = "useast1"),
      "regions.governed[1]: must be an AWS region such as us-east-1",
    ],
    [
      "a home region the audit does not govern",
      (m) => (m.regions.home = "ap-south-1"),
      'regions.home: must be one of regions.governed (us-east-1, eu-west-1), got "ap-south-1"',
    ],
    [
      "a misspelt regions key",
      (m) => (m.regions.govern = ["us-east-1"]),
      "regions.govern: unknown key (a misspelling?); allowed here: home, governed",
    ],
    ["a trail ARN that is not an ARN", (m) => (m.trail.arn = "orgwarden-org-trail"), "trail.arn: must be an ARN"],
    [
      "a trail that is not an organization trail",
      (m) => (m.trail.isOrganizationTrail = false),
      "trail.isOrganizationTrail: Invalid input: expected true",
    ],
    [
      "an unknown Object Lock mode",
      (m) => (m.archive.objectLock.mode = "LEGAL"),
      'archive.objectLock.mode: Invalid option: expected one of "COMPLIANCE"|"GOVERNANCE"',
    ],
    [
      "a negative retention",
      (m) => (m.archive.objectLock.days = -1),
      "archive.objectLock.days: Too small: expected number to be >0",
    ],
    [
      "a missing archive bucket name",
      (m) => delete m.archive.bucketName,
      "archive.bucketName: Invalid input: expected string, received undefined",
    ],
    [
      "a bucket policy with no statements",
      (m) => (m.archive.expectedBucketPolicy.Statement = []),
      "archive.expectedBucketPolicy.Statement: Too small: expected array to have >=1 items",
    ],
    [
      "a key policy statement with a lowercase effect",
      (m) => (m.key.expectedKeyPolicy.Statement[0].Effect = "allow"),
      'key.expectedKeyPolicy.Statement[0].Effect: Invalid option: expected one of "Allow"|"Deny"',
    ],
    [
      "a grantee with no operations",
      (m) => (m.key.allowedGrantees = [{ granteePrincipal: "arn:aws:iam::333333333333:role/x", operations: [] }]),
      "key.allowedGrantees[0].operations: Too small: expected array to have >=1 items",
    ],
    ["no SCPs", (m) => (m.scps = []), "scps: Too small: expected array to have >=1 items"],
    ["a malformed SCP id", (m) => (m.scps[0].id = "policy-1"), "scps[0].id: must be an SCP id such as p-abcd1234"],
    [
      "a zero delivery threshold",
      (m) => (m.thresholds = { deliveryMaxAgeMinutes: 0 }),
      "thresholds.deliveryMaxAgeMinutes: Too small: expected number to be >0",
    ],
    [
      "a stackSet drift threshold over 30 days",
      (m) =>
        (m.stackSet = {
          name: "orgwarden-member-baseline",
          targetOuIds: ["ou-a1b2-workload1"],
          driftMaxAgeHours: 721,
        }),
      "stackSet.driftMaxAgeHours: must be at most 720 (30 days)",
    ],
    [
      "a stackSet exclusion that is no account id",
      (m) =>
        (m.stackSet = {
          name: "orgwarden-member-baseline",
          targetOuIds: ["ou-a1b2-workload1"],
          excludeAccounts: ["4444"],
        }),
      "stackSet.excludeAccounts[0]: must be a 12-digit AWS account id",
    ],
    [
      "a fractional delivery threshold",
      (m) => (m.thresholds = { deliveryMaxAgeMinutes: 1.5 }),
      "thresholds.deliveryMaxAgeMinutes: Invalid input: expected int, received number",
    ],
    [
      "a digest threshold under one digest period",
      (m) => (m.thresholds = { digestMaxAgeMinutes: 59 }),
      "thresholds.digestMaxAgeMinutes: must be at least 60: CloudTrail writes digest files once an hour, so a shorter threshold fails a healthy trail",
    ],
    ["another schema version", (m) => (m.schemaVersion = 2), "schemaVersion: Invalid input: expected 1"],
    [
      "a baseline key named by an alias ARN (keys.others)",
      (m) =>
        (m.keys = {
          logKeyAlias: "alias/orgwarden-cloudtrail",
          others: [
            {
              name: "config-key",
              purpose: "the AWS Config bucket's key",
              arn: "arn:aws:kms:us-east-1:222222222222:alias/orgwarden-config",
              aliasName: "alias/orgwarden-config",
              expectedKeyPolicy: m.key.expectedKeyPolicy,
              allowedGrantees: [],
              rotationEnabled: true,
            },
          ],
        }),
      "keys.others[0].arn: must be a KMS key ARN such as arn:aws:kms:us-east-1:333333333333:key/1234abcd-…",
    ],
    [
      "a role entry without its inline policies (roles.shared)",
      (m) =>
        (m.roles = {
          shared: [
            {
              name: "log-auditor-role",
              purpose: "the log auditor role",
              account: "333333333333",
              roleName: "orgwarden-log-auditor",
              trustPolicy: m.key.expectedKeyPolicy,
              managedPolicyArns: [],
            },
          ],
        }),
      "roles.shared[0].inlinePolicies: Invalid input: expected record, received undefined",
    ],
    [
      "a log bucket role listed twice",
      (m) => (m.logBuckets = [...logBucketIntents(), logBucketIntents()[1]]),
      "logBuckets[7].role: access-log is listed twice",
    ],
    [
      "a noncurrent expiry shorter than the lock in a log bucket's lifecycle",
      (m) => {
        m.logBuckets = logBucketIntents();
        m.logBuckets[0].lifecycle.noncurrentDays = 30;
      },
      "logBuckets[0].lifecycle.noncurrentDays: must not be shorter than lockDays (365)",
    ],
    [
      "a misspelt lifecycle key",
      (m) => {
        m.logBuckets = logBucketIntents();
        m.logBuckets[2].lifecycle.expirationDay = 30;
      },
      "logBuckets[2].lifecycle.expirationDay: unknown key (a misspelling?); allowed here: ruleId, logPrefixes, expirationDays, noncurrentDays, lockDays, abortIncompleteDays, transition",
    ],
    [
      "a misspelt threshold",
      (m) => (m.thresholds = { deliveryMaxAgeMinute: 30 }),
      "thresholds.deliveryMaxAgeMinute: unknown key (a misspelling?); allowed here: deliveryMaxAgeMinutes, digestMaxAgeMinutes",
    ],
    [
      "an agent alarm whose missing data is treated some other way",
      (m) => {
        m.auditAgent = agentArea("333333333333", "us-east-1");
        (m.auditAgent.alarms[2] as { treatMissingData: string }).treatMissingData = "ignored";
      },
      'auditAgent.alarms[2].treatMissingData: Invalid option: expected one of "breaching"|"notBreaching"|"ignore"|"missing"',
    ],
    [
      "an unknown top-level key",
      (m) => (m.threshold = {}),
      "threshold: unknown key (a misspelling?); allowed here: schemaVersion, stack, generatedBy, organization, regions, trail, archive, key, keys, roles, controlTower, flowLogs, logBuckets, athena, dnsQueryLogs, scps, stackSet, organizationSettings, detection, guardDuty, inspector, pipeline, detectionPipeline, auditAgent, securityHub, audit, thresholds, waivers",
    ],
    [
      "no expected bucket policy outside Control Tower",
      (m) => delete m.archive.expectedBucketPolicy,
      "archive.expectedBucketPolicy: is required unless controlTower is set (only Control Tower's bucket has a policy orgwarden does not lay)",
    ],
    [
      "no expected key policy outside Control Tower",
      (m) => delete m.key.expectedKeyPolicy,
      "key.expectedKeyPolicy: is required unless controlTower is set (only the landing zone's key has a policy orgwarden does not lay)",
    ],
    [
      "a misspelt controlTower key",
      (m) =>
        (m.controlTower = {
          executionRoleName: "AWSControlTowerExecution",
          configRecorderName: "aws-controltower-BaselineConfigRecorder",
          deliveryChannelName: "aws-controltower-BaselineConfigDeliveryChannel",
          deliveryChannel: "x",
        }),
      "controlTower.deliveryChannel: unknown key (a misspelling?); allowed here: executionRoleName, configRecorderName, deliveryChannelName",
    ],
    [
      "no log key alias outside Control Tower",
      (m) => (m.keys = { others: [] }),
      "keys.logKeyAlias: is required unless controlTower is set (only the landing zone's key has aliases orgwarden does not lay)",
    ],
    [
      "an unknown key in a governed OU",
      (m) => (m.organization.governedOus[1].arn = "x"),
      "organization.governedOus[1].arn: unknown key (a misspelling?); allowed here: id, name",
    ],
    [
      "a misspelt policy statement key",
      (m) => (m.key.expectedKeyPolicy.Statement[2].Actions = "kms:*"),
      "key.expectedKeyPolicy.Statement[2].Actions: unknown key (a misspelling?); allowed here: Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition",
    ],
    [
      "a misspelt SCP key",
      (m) => (m.scps[0].target = ["r-ab12"]),
      "scps[0].target: unknown key (a misspelling?); allowed here: id, name, content, targets",
    ],
    [
      "a misspelt grantee key",
      (m) =>
        (m.key.allowedGrantees = [
          { granteePrincipal: "arn:aws:iam::333333333333:role/x", operations: ["Decrypt"], retiringPrincipals: [] },
        ]),
      "key.allowedGrantees[0].retiringPrincipals: unknown key (a misspelling?); allowed here: granteePrincipal, operations, retiringPrincipal",
    ],
    [
      "an unknown audit key",
      (m) => (m.audit.externalID = "x"),
      "audit.externalID: unknown key (a misspelling?); allowed here: readRoleName, externalId, logAuditorRoleArn, integrityWindowHours",
    ],
    [
      "a CIS filter pattern the audit cannot parse",
      (m) => (m.detection.cisAlarms.filters[2].pattern = '{ $.userIdentity.type = "Root" '),
      'detection.cisAlarms.filters[2].pattern: is not a filter pattern the audit can read: filter pattern: expected "}" at position 31 in "{ $.userIdentity.type = \\"Root\\" "',
    ],
    [
      "a CIS control listed twice",
      (m) => (m.detection.cisAlarms.filters[1].cisId = "4.1"),
      "detection.cisAlarms.filters[1].cisId: CIS 4.1 is listed twice",
    ],
    [
      "a CIS alarm topic that is no SNS topic ARN",
      (m) => (m.detection.cisAlarms.topicArn = "arn:aws:sqs:us-east-1:111111111111:orgwarden-cis-alarms"),
      "detection.cisAlarms.topicArn: must be an SNS topic ARN",
    ],
    [
      "a misspelt CIS filter key",
      (m) => (m.detection.cisAlarms.filters[0].metricname = "X"),
      "detection.cisAlarms.filters[0].metricname: unknown key (a misspelling?); allowed here: cisId, filterName, alarmName, metricName, pattern",
    ],
    [
      "a Config snapshot frequency Config does not know",
      (m) =>
        (m.pipeline = {
          config: {
            deliveryChannel: {
              name: "orgwarden",
              s3BucketName: "orgwarden-prod-config-111111111111",
              s3KmsKeyArn: "arn:aws:kms:us-east-1:222222222222:key/x",
              deliveryFrequency: "Daily",
            },
            aggregator: {
              name: "orgwarden-organization",
              accountId: "333333333333",
              region: "us-east-1",
              roleArn: "arn:aws:iam::333333333333:role/orgwarden-config-aggregator",
              allRegions: false,
              regions: ["us-east-1"],
            },
          },
        }),
      'pipeline.config.deliveryChannel.deliveryFrequency: Invalid option: expected one of "One_Hour"|"Three_Hours"|"Six_Hours"|"Twelve_Hours"|"TwentyFour_Hours"',
    ],
    [
      "a GuardDuty feature listed twice",
      (m) =>
        (m.guardDuty = {
          autoEnable: "ALL",
          findingPublishingFrequency: "FIFTEEN_MINUTES",
          features: [
            { name: "S3_DATA_EVENTS", additionalConfigurations: [] },
            { name: "S3_DATA_EVENTS", additionalConfigurations: [] },
          ],
        }),
      "guardDuty.features[1].name: S3_DATA_EVENTS is listed twice",
    ],
    [
      "GuardDuty auto-enable other than ALL",
      (m) => (m.guardDuty = { autoEnable: "NEW", findingPublishingFrequency: "ONE_HOUR", features: [] }),
      'guardDuty.autoEnable: Invalid input: expected "ALL"',
    ],
    [
      "a misspelt GuardDuty feature key",
      (m) =>
        (m.guardDuty = {
          autoEnable: "ALL",
          findingPublishingFrequency: "ONE_HOUR",
          features: [{ name: "RUNTIME_MONITORING", additionalConfigurations: [], autoEnable: "ALL" }],
        }),
      "guardDuty.features[0].autoEnable: unknown key (a misspelling?); allowed here: name, additionalConfigurations",
    ],
  ])("%s", (_label, breakIt, problem) => {
    expect(problemsOf(breakIt)).toEqual([problem]);
  });

  it("lists every problem at once, each with its path", () => {
    const problems = problemsOf((m) => {
      m.organization.logArchiveAccountId = "2222";
      m.regions.home = "mars-1";
      delete m.audit.readRoleName;
    });
    expect(problems).toEqual([
      "organization.logArchiveAccountId: must be a 12-digit AWS account id",
      "regions.home: must be an AWS region such as us-east-1",
      "audit.readRoleName: Invalid input: expected string, received undefined",
    ]);
  });

  it("formats the error message as one line per problem", () => {
    const m = validManifestInput() as AuditManifestInput & { stack: unknown };
    m.stack = "";
    expect(() => parseAuditManifest(m)).toThrow(
      "audit manifest is invalid:\n  - stack: Too small: expected string to have >=1 characters",
    );
  });

  it("names every unknown key of one object", () => {
    const problems = problemsOf((m) => {
      m.trail.dataEvent = { s3: true };
      m.trail.homeregion = "us-east-1";
    });
    expect(problems).toEqual([
      "trail.dataEvent: unknown key (a misspelling?); allowed here: name, arn, homeRegion, isOrganizationTrail, logGroupName, logGroupRetentionDays, dataEvents, logGroupKeyArn",
      "trail.homeregion: unknown key (a misspelling?); allowed here: name, arn, homeRegion, isOrganizationTrail, logGroupName, logGroupRetentionDays, dataEvents, logGroupKeyArn",
    ]);
  });

  it("names the root when the manifest is not an object", () => {
    expect(() => parseAuditManifest(null)).toThrow(
      "audit manifest is invalid:\n  - (root): Invalid input: expected object, received null",
    );
  });

  it("buildAuditManifest refuses what parseAuditManifest refuses", () => {
    const m = validManifestInput();
    m.organization.managementAccountId = "1";
    expect(() => buildAuditManifest(m)).toThrow(ManifestValidationError);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../../harness/run-program";
import {
  alertKeyPolicy,
  alertTopicPolicy,
  centralBusPolicy,
  CIS_FILTERS,
  cisEventsPatterns,
  configBucketPolicy,
  configKeyPolicy,
  memberBaselineTemplate,
  stackSetDriftRolePolicy,
  stackSetDriftRoleTrust,
} from "../../../baseline/detection";
import { DetectionBaseline, parseDetectionConfig, RegionalProviders } from "../../../infra/detection";
import { ACCOUNTS, ORG_ID, OU_IDS, ROOT_ID } from "./fixtures/fixture-ids";
import { named, ofType, providerOf, runDetection } from "./run-fixture";

const REGIONS = ["us-east-1", "eu-west-1"];
let run: ProgramRun;

beforeAll(async () => {
  run = await runDetection({
    "orgwarden:alerts.emails": JSON.stringify(["secops@example.com", "oncall@example.com"]),
    "fixture:governedRegions": JSON.stringify(["eu-west-1", "us-east-1"]),
  });
});

describe("member baseline StackSet", () => {
  it("is service-managed with auto-deployment on and retain-on-removal off, in the management account", () => {
    const s = named(run, "detection-member-baseline-stackset");
    expect(providerOf(s)).toBe("management-us-east-1");
    const { templateBody, ...rest } = s.inputs;
    expect(rest).toEqual({
      name: "orgwarden-member-baseline",
      description: "orgwarden member baseline: Config, audit read role, SSM agents, finding forwarding",
      permissionModel: "SERVICE_MANAGED",
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: "SELF",
      capabilities: ["CAPABILITY_NAMED_IAM"],
      managedExecution: { active: true },
      operationPreferences: {
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
        regionConcurrencyType: "SEQUENTIAL",
        regionOrders: REGIONS,
      },
    });
    expect(s.ignoreChanges).toEqual(["administrationRoleArn"]);
    expect(JSON.parse(templateBody)).toEqual(
      memberBaselineTemplate({
        orgId: ORG_ID,
        homeRegion: "us-east-1",
        securityAccountId: ACCOUNTS.security,
        configBucketName: "orgwarden-prod-config-111111111111",
        configKmsKeyArn: named(run, "detection-config-bucket-key").outputs.arn,
        configDeliveryFrequency: "TwentyFour_Hours",
        centralBusArn: "arn:aws:events:us-east-1:333333333333:event-bus/orgwarden-security",
        auditReadRoleName: "orgwarden-audit-read",
        auditAgentRoleName: "orgwarden-audit-agent",
        ssm: {
          targetTagKey: undefined,
          targetTagValue: undefined,
          updateAgentSchedule: "rate(14 days)",
          cloudWatchAgentSchedule: "rate(30 days)",
          complianceSeverity: "HIGH",
        },
        cloudWatchAgent: { logGroupPrefix: "/orgwarden/os", retentionDays: 365 },
        namePrefix: "orgwarden",
      }),
    );
  });

  it("has one instance per governed region, home first, each targeting the configured OUs, one after the other", () => {
    const instances = ofType(run, "aws:cloudformation/stackSetInstance:StackSetInstance");
    expect(instances.map((i) => [i.name, providerOf(i), i.inputs.stackSetInstanceRegion])).toEqual([
      ["detection-member-baseline-us-east-1", "management-us-east-1", "us-east-1"],
      ["detection-member-baseline-eu-west-1", "management-us-east-1", "eu-west-1"],
    ]);
    for (const i of instances) {
      expect(i.inputs.deploymentTargets).toEqual({ organizationalUnitIds: [OU_IDS.Security, OU_IDS.Workloads] });
      expect(i.inputs.stackSetName).toBe("orgwarden-member-baseline");
      expect(i.inputs.callAs).toBe("SELF");
      expect(i.inputs.retainStack).toBe(false);
    }
    expect(instances[1].dependencies).toContain(instances[0].urn);
    expect(instances[0].dependencies).toEqual(
      expect.arrayContaining([
        named(run, "detection-config-bucket-policy").urn,
        named(run, "detection-central-bus-policy").urn,
      ]),
    );
  });

  it("is drift-checked on a schedule: Scheduler starts DetectStackSetDrift every half of audit.stackSetDriftMaxAgeHours, as a role that may do only that, after every instance", () => {
    const role = named(run, "detection-member-baseline-drift-role");
    expect(providerOf(role)).toBe("management-us-east-1");
    expect({ ...role.inputs, assumeRolePolicy: JSON.parse(role.inputs.assumeRolePolicy as string) }).toEqual({
      name: "orgwarden-member-baseline-drift",
      description: "EventBridge Scheduler: starts drift detection of the orgwarden member-baseline StackSet",
      assumeRolePolicy: stackSetDriftRoleTrust(ACCOUNTS.management),
    });
    const policy = named(run, "detection-member-baseline-drift-role-policy");
    expect(providerOf(policy)).toBe("management-us-east-1");
    expect({ ...policy.inputs, policy: JSON.parse(policy.inputs.policy as string) }).toEqual({
      role: "orgwarden-member-baseline-drift",
      name: "detect-stackset-drift",
      policy: stackSetDriftRolePolicy({
        namePrefix: "orgwarden",
        homeRegion: "us-east-1",
        managementAccountId: ACCOUNTS.management,
      }),
    });
    const schedule = named(run, "detection-member-baseline-drift-schedule");
    expect(providerOf(schedule)).toBe("management-us-east-1");
    const { target, ...rest } = schedule.inputs as { target: Record<string, unknown> };
    expect(rest).toEqual({
      name: "orgwarden-member-baseline-drift",
      description:
        "Detects drift of the StackSet orgwarden-member-baseline, so that the audit's stackset-drift judges a recent detection",
      scheduleExpression: "rate(24 hours)",
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
    });
    expect({ ...target, input: JSON.parse(target.input as string) }).toEqual({
      arn: "arn:aws:scheduler:::aws-sdk:cloudformation:detectStackSetDrift",
      roleArn: role.outputs.arn,
      input: { StackSetName: "orgwarden-member-baseline", CallAs: "SELF" },
      retryPolicy: { maximumRetryAttempts: 0 },
    });
    expect(schedule.dependencies).toEqual(
      expect.arrayContaining([
        policy.urn,
        named(run, "detection-member-baseline-stackset").urn,
        ...ofType(run, "aws:cloudformation/stackSetInstance:StackSetInstance").map((i) => i.urn),
      ]),
    );
  });

  it("a shorter audit.stackSetDriftMaxAgeHours schedules detection more often (every half of it)", async () => {
    const r = await runDetection({ "fixture:stackSetDriftMaxAgeHours": "12" });
    expect(named(r, "detection-member-baseline-drift-schedule").inputs.scheduleExpression).toBe("rate(6 hours)");
  });

  it("stackSet.excludeAccounts: every instance deploys to the OUs minus those accounts (accountFilterType DIFFERENCE)", async () => {
    const excluded = await runDetection({
      "orgwarden:stackSet.excludeAccounts": JSON.stringify(["444444444444", "555555555555"]),
      "fixture:governedRegions": JSON.stringify(["eu-west-1", "us-east-1"]),
    });
    const instances = ofType(excluded, "aws:cloudformation/stackSetInstance:StackSetInstance");
    expect(instances).toHaveLength(2);
    for (const i of instances)
      expect(i.inputs.deploymentTargets).toEqual({
        organizationalUnitIds: [OU_IDS.Security, OU_IDS.Workloads],
        accountFilterType: "DIFFERENCE",
        accounts: ["444444444444", "555555555555"],
      });
  });

  it("stackSet.excludeAccounts refuses the management account, naming it", () => {
    const build = (exclude: string[]) => () =>
      new DetectionBaseline("x", {
        stack: "prod",
        config: parseDetectionConfig({ "stackSet.excludeAccounts": JSON.stringify(exclude) }),
        homeRegion: "us-east-1",
        governedRegions: ["us-east-1"],
        managementAccountId: ACCOUNTS.management,
        logArchiveAccountId: ACCOUNTS.logArchive,
        securityAccountId: ACCOUNTS.security,
        orgId: ORG_ID,
        rootId: ROOT_ID,
        ouIds: OU_IDS,
        securityOu: "Security",
        trailLogGroupName: "/orgwarden/cloudtrail",
        audit: { readRoleName: "r", agentRoleName: "a" },
        providers: {
          forRegion: () => {
            throw new Error("not reached");
          },
        } as unknown as RegionalProviders,
      });
    expect(build([ACCOUNTS.management])).toThrow(
      `orgwarden:stackSet.excludeAccounts names the management account ${ACCOUNTS.management}, which the StackSet never reaches (it gets its own stack); remove it`,
    );
  });

  it("gives the management account, and only it, the same template as plain stacks per region", () => {
    const stacks = ofType(run, "aws:cloudformation/stack:Stack");
    const body = named(run, "detection-member-baseline-stackset").inputs.templateBody;
    expect(stacks.map((s) => [s.name, providerOf(s), s.inputs.name])).toEqual([
      ["detection-management-baseline-us-east-1", "management-us-east-1", "orgwarden-member-baseline"],
      ["detection-management-baseline-eu-west-1", "management-eu-west-1", "orgwarden-member-baseline"],
    ]);
    for (const s of stacks) {
      expect(s.inputs).toEqual({
        name: "orgwarden-member-baseline",
        templateBody: body,
        capabilities: ["CAPABILITY_NAMED_IAM"],
        onFailure: "ROLLBACK",
        parameters: { CreateConfigServiceLinkedRole: "true", CreateDhmcRole: "true" },
      });
    }
    expect(stacks[1].dependencies).toContain(stacks[0].urn);
    expect(run.outputs.directAccounts).toEqual(["management"]);
  });
});

describe("Config", () => {
  it("makes the security account delegated admin for config and config-multiaccountsetup, from the management account", () => {
    const admins = ofType(run, "aws:organizations/delegatedAdministrator:DelegatedAdministrator");
    expect(admins.map((a) => [providerOf(a), a.inputs])).toEqual([
      ["management-us-east-1", { accountId: ACCOUNTS.security, servicePrincipal: "config.amazonaws.com" }],
      [
        "management-us-east-1",
        { accountId: ACCOUNTS.security, servicePrincipal: "config-multiaccountsetup.amazonaws.com" },
      ],
    ]);
  });

  it("aggregates the governed regions of the organization in the security account", () => {
    const agg = named(run, "detection-config-aggregator");
    expect(providerOf(agg)).toBe("security-us-east-1");
    expect(agg.inputs).toEqual({
      name: "orgwarden-organization",
      organizationAggregationSource: {
        allRegions: false,
        regions: REGIONS,
        roleArn: "arn:aws:iam::333333333333:role/orgwarden-config-aggregator",
      },
    });
    expect(named(run, "detection-config-aggregator-role-policy").inputs.policyArn).toBe(
      "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations",
    );
  });

  it("puts the Config bucket in the log-archive account with the organization-only policy", () => {
    const bucket = named(run, "detection-config-bucket-bucket");
    expect(providerOf(bucket)).toBe("logArchive-us-east-1");
    expect(bucket.inputs.bucket).toBe("orgwarden-prod-config-111111111111");
    expect(bucket.inputs.objectLockEnabled).toBeUndefined();
    expect(JSON.parse(named(run, "detection-config-bucket-policy").inputs.policy)).toEqual(
      configBucketPolicy({ bucketName: "orgwarden-prod-config-111111111111", orgId: ORG_ID }),
    );
    expect(named(run, "detection-config-bucket-versioning").inputs.versioningConfiguration).toEqual({
      status: "Enabled",
    });
  });

  it("encrypts the Config bucket with its own protected, rotating customer key in the log-archive account", () => {
    const key = named(run, "detection-config-bucket-key");
    expect([providerOf(key), key.protect, key.outputs.arn]).toEqual([
      "logArchive-us-east-1",
      true,
      `arn:aws:kms:us-east-1:222222222222:key/${key.id}`,
    ]);
    const { policy, ...rest } = key.inputs;
    expect(rest).toEqual({
      description: "orgwarden: encrypts AWS Config deliveries in the Config bucket",
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { "orgwarden:protected": "true" },
    });
    expect(JSON.parse(policy)).toEqual(
      configKeyPolicy({ accountId: "222222222222", configBucketName: "orgwarden-prod-config-111111111111" }),
    );
    const alias = named(run, "detection-config-bucket-key-alias");
    expect([providerOf(alias), alias.inputs]).toEqual([
      "logArchive-us-east-1",
      { name: "alias/orgwarden-config", targetKeyId: key.id },
    ]);
    const encryption = named(run, "detection-config-bucket-encryption");
    expect([providerOf(encryption), encryption.inputs]).toEqual([
      "logArchive-us-east-1",
      {
        bucket: "orgwarden-prod-config-111111111111",
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.outputs.arn },
            bucketKeyEnabled: false,
          },
        ],
      },
    ]);
  });

  it("has every Config delivery channel encrypt with that key", () => {
    const tpl = JSON.parse(named(run, "detection-member-baseline-stackset").inputs.templateBody);
    expect(tpl.Resources.ConfigDeliveryChannel.Properties).toEqual({
      Name: "orgwarden",
      S3BucketName: "orgwarden-prod-config-111111111111",
      S3KmsKeyArn: named(run, "detection-config-bucket-key").outputs.arn,
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: "TwentyFour_Hours" },
    });
  });
});

describe("GuardDuty", () => {
  it.each(REGIONS)(
    "in %s: admin designated from the management account after the security account's detector exists",
    (region) => {
      const detector = named(run, `detection-guardduty-${region}-detector`);
      expect([providerOf(detector), detector.inputs]).toEqual([
        `security-${region}`,
        { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" },
      ]);
      const admin = named(run, `detection-guardduty-${region}-admin`);
      expect([providerOf(admin), admin.inputs]).toEqual([
        `management-${region}`,
        { adminAccountId: ACCOUNTS.security },
      ]);
      expect(admin.dependencies).toContain(detector.urn);
      const org = named(run, `detection-guardduty-${region}-organization`);
      expect(providerOf(org)).toBe(`security-${region}`);
      expect(org.inputs).toEqual({
        detectorId: detector.outputs.id ?? detector.id,
        autoEnableOrganizationMembers: "ALL",
      });
      expect(org.dependencies).toContain(admin.urn);
    },
  );

  it.each(REGIONS)(
    "in %s: the default protection features auto-enabled for all members and on for the admin",
    (region) => {
      const features = ofType(
        run,
        "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature",
      ).filter((f) => providerOf(f) === `security-${region}`);
      expect(features.map((f) => [f.inputs.name, f.inputs.autoEnable, f.inputs.additionalConfigurations])).toEqual([
        ["S3_DATA_EVENTS", "ALL", []],
        ["EKS_AUDIT_LOGS", "ALL", []],
        ["EBS_MALWARE_PROTECTION", "ALL", []],
        ["RDS_LOGIN_EVENTS", "ALL", []],
        ["LAMBDA_NETWORK_LOGS", "ALL", []],
        [
          "RUNTIME_MONITORING",
          "ALL",
          [
            { name: "EKS_ADDON_MANAGEMENT", autoEnable: "ALL" },
            { name: "ECS_FARGATE_AGENT_MANAGEMENT", autoEnable: "ALL" },
            { name: "EC2_AGENT_MANAGEMENT", autoEnable: "ALL" },
          ],
        ],
      ]);
      const own = ofType(run, "aws:guardduty/detectorFeature:DetectorFeature").filter(
        (f) => providerOf(f) === `security-${region}`,
      );
      expect(own.map((f) => [f.inputs.name, f.inputs.status])).toEqual([
        ["S3_DATA_EVENTS", "ENABLED"],
        ["EKS_AUDIT_LOGS", "ENABLED"],
        ["EBS_MALWARE_PROTECTION", "ENABLED"],
        ["RDS_LOGIN_EVENTS", "ENABLED"],
        ["LAMBDA_NETWORK_LOGS", "ENABLED"],
        ["RUNTIME_MONITORING", "ENABLED"],
      ]);
    },
  );
});

describe("Security Hub (central configuration, the default)", () => {
  it.each(REGIONS)("in %s: enabled in the security account and the admin designated", (region) => {
    const account = named(run, `detection-securityhub-${region}-account`);
    expect([providerOf(account), account.inputs]).toEqual([
      `security-${region}`,
      { enableDefaultStandards: false, autoEnableControls: true, controlFindingGenerator: "SECURITY_CONTROL" },
    ]);
    const admin = named(run, `detection-securityhub-${region}-admin`);
    expect([providerOf(admin), admin.inputs]).toEqual([`management-${region}`, { adminAccountId: ACCOUNTS.security }]);
    expect(admin.dependencies).toContain(account.urn);
  });

  it("lays no per-region auto-enable or standards subscription: the configuration policy governs every region", () => {
    const types = new Set(ofType(run, "aws:securityhub/standardsSubscription:StandardsSubscription"));
    expect(types.size).toBe(0);
    const configs = ofType(run, "aws:securityhub/organizationConfiguration:OrganizationConfiguration");
    expect(configs.map((c) => c.name)).toEqual(["detection-securityhub-organization"]);
  });

  it("switches the organization to CENTRAL in the home region after every designation and the aggregator", () => {
    const org = named(run, "detection-securityhub-organization");
    expect([providerOf(org), org.inputs]).toEqual([
      "security-us-east-1",
      { autoEnable: false, autoEnableStandards: "NONE", organizationConfiguration: { configurationType: "CENTRAL" } },
    ]);
    for (const region of REGIONS)
      expect(org.dependencies).toContain(named(run, `detection-securityhub-${region}-admin`).urn);
    expect(org.dependencies).toContain(named(run, "detection-securityhub-aggregator").urn);
  });

  it("associates one policy (Security Hub on, FSBP and CIS, every control) with the organization root", () => {
    const policy = named(run, "detection-securityhub-policy");
    expect([providerOf(policy), policy.inputs]).toEqual([
      "security-us-east-1",
      {
        name: "orgwarden-prod-security-hub",
        description:
          "orgwarden: Security Hub on with FSBP and CIS in every governed region, every control enabled, for every account of the organization",
        configurationPolicy: {
          serviceEnabled: true,
          enabledStandardArns: [
            "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
            "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0",
          ],
          securityControlsConfiguration: { disabledControlIdentifiers: [] },
        },
      },
    ]);
    expect(policy.dependencies).toContain(named(run, "detection-securityhub-organization").urn);
    const assoc = named(run, "detection-securityhub-policy-root");
    expect([providerOf(assoc), assoc.inputs]).toEqual([
      "security-us-east-1",
      { policyId: policy.id, targetId: ROOT_ID },
    ]);
  });

  it("aggregates the other governed regions into the home region", () => {
    const agg = named(run, "detection-securityhub-aggregator");
    expect([providerOf(agg), agg.inputs]).toEqual([
      "security-us-east-1",
      { linkingMode: "SPECIFIED_REGIONS", specifiedRegions: ["eu-west-1"] },
    ]);
  });

  it("with one governed region still lays the aggregator central configuration needs, linking no region", async () => {
    const one = await runDetection({});
    expect(named(one, "detection-securityhub-aggregator").inputs).toEqual({ linkingMode: "NO_REGIONS" });
    expect(named(one, "detection-securityhub-policy-root").inputs.targetId).toBe(ROOT_ID);
  });
});

describe("Security Hub (detection.securityHub.configuration = local)", () => {
  let local: ProgramRun;
  beforeAll(async () => {
    local = await runDetection({
      "orgwarden:detection.securityHub.configuration": "local",
      "fixture:governedRegions": JSON.stringify(["eu-west-1", "us-east-1"]),
    });
  });

  it.each(REGIONS)("in %s: auto-enable, CIS and FSBP subscribed, as before central configuration", (region) => {
    const admin = named(local, `detection-securityhub-${region}-admin`);
    const org = named(local, `detection-securityhub-${region}-organization`);
    expect([providerOf(org), org.inputs]).toEqual([
      `security-${region}`,
      { autoEnable: true, autoEnableStandards: "DEFAULT", organizationConfiguration: { configurationType: "LOCAL" } },
    ]);
    expect(org.dependencies).toContain(admin.urn);
    expect(named(local, `detection-securityhub-${region}-fsbp`).inputs.standardsArn).toBe(
      `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
    );
    expect(named(local, `detection-securityhub-${region}-cis`).inputs.standardsArn).toBe(
      `arn:aws:securityhub:${region}::standards/cis-aws-foundations-benchmark/v/3.0.0`,
    );
  });

  it("lays no configuration policy", () => {
    expect(ofType(local, "aws:securityhub/configurationPolicy:ConfigurationPolicy")).toEqual([]);
    expect(ofType(local, "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation")).toEqual([]);
  });
});

describe("Inspector", () => {
  it.each(REGIONS)("in %s: delegated admin and EC2/ECR/Lambda auto-enable for the organization", (region) => {
    const admin = named(run, `detection-inspector-${region}-admin`);
    expect([providerOf(admin), admin.inputs]).toEqual([`management-${region}`, { accountId: ACCOUNTS.security }]);
    const org = named(run, `detection-inspector-${region}-organization`);
    expect([providerOf(org), org.inputs]).toEqual([
      `security-${region}`,
      { autoEnable: { ec2: true, ecr: true, lambda: true, lambdaCode: false } },
    ]);
    expect(org.dependencies).toContain(admin.urn);
    expect(named(run, `detection-inspector-${region}-admin-scanning`).inputs).toEqual({
      accountIds: [ACCOUNTS.security],
      resourceTypes: ["EC2", "ECR", "LAMBDA"],
    });
  });

  it("enrolls no member explicitly when none existed before the delegation", () => {
    expect(ofType(run, "aws:inspector2/memberAssociation:MemberAssociation")).toEqual([]);
    expect(ofType(run, "aws:inspector2/enabler:Enabler").map((e) => e.name)).toEqual(
      REGIONS.map((r) => `detection-inspector-${r}-admin-scanning`),
    );
  });

  it("associates every existing member and enables its scans, at most 100 accounts per Enable call", async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(400000000000 + i));
    const existing = await runDetection({ "fixture:existingMembers": JSON.stringify(ids) });
    const assoc = ofType(existing, "aws:inspector2/memberAssociation:MemberAssociation");
    expect(assoc.map((a) => [a.name, providerOf(a), a.inputs])).toEqual(
      ids.map((id) => [`detection-inspector-us-east-1-member-${id}`, "security-us-east-1", { accountId: id }]),
    );
    const admin = named(existing, "detection-inspector-us-east-1-admin");
    for (const a of assoc) expect(a.dependencies).toContain(admin.urn);
    const first = named(existing, "detection-inspector-us-east-1-members-scanning-1");
    const second = named(existing, "detection-inspector-us-east-1-members-scanning-2");
    expect([first.inputs, second.inputs]).toEqual([
      { accountIds: ids.slice(0, 100), resourceTypes: ["EC2", "ECR", "LAMBDA"] },
      { accountIds: ids.slice(100), resourceTypes: ["EC2", "ECR", "LAMBDA"] },
    ]);
    // Each Enable waits for the associations of its own accounts.
    expect(first.dependencies).toEqual(expect.arrayContaining(assoc.slice(0, 100).map((a) => a.urn)));
    expect(second.dependencies).toEqual(expect.arrayContaining([assoc[100].urn]));
  });
});

describe("central event bus", () => {
  const busArn = "arn:aws:events:us-east-1:333333333333:event-bus/orgwarden-security";
  const topicArn = "arn:aws:sns:us-east-1:333333333333:orgwarden-security-alerts";

  it("lives in the security account and admits PutEvents from the organization only", () => {
    const bus = named(run, "detection-central-bus-bus");
    expect([providerOf(bus), bus.inputs.name]).toEqual(["security-us-east-1", "orgwarden-security"]);
    const policy = named(run, "detection-central-bus-policy");
    expect(providerOf(policy)).toBe("security-us-east-1");
    expect(policy.inputs.eventBusName).toBe("orgwarden-security");
    // Only the audit agent may put events of source orgwarden.audit (agent/notify.ts).
    expect(JSON.parse(policy.inputs.policy)).toEqual(
      centralBusPolicy({
        busArn,
        orgId: ORG_ID,
        auditEventRoleArn: "arn:aws:iam::333333333333:role/orgwarden-audit-agent",
      }),
    );
    expect(run.outputs.centralBusArn).toBe(busArn);
  });

  it("routes HIGH/CRITICAL findings and the CIS events to the security topic", () => {
    const rules = ofType(run, "aws:cloudwatch/eventRule:EventRule");
    expect(rules.map((r) => [r.inputs.name, r.inputs.eventBusName, providerOf(r)])).toEqual([
      ["orgwarden-security-guardduty-high", "orgwarden-security", "security-us-east-1"],
      ["orgwarden-security-securityhub-high", "orgwarden-security", "security-us-east-1"],
      ["orgwarden-security-cis-events-1", "orgwarden-security", "security-us-east-1"],
      ["orgwarden-security-cis-events-2", "orgwarden-security", "security-us-east-1"],
    ]);
    expect(rules.slice(2).map((r) => JSON.parse(r.inputs.eventPattern))).toEqual(cisEventsPatterns());
    const targets = ofType(run, "aws:cloudwatch/eventTarget:EventTarget");
    expect(targets.map((t) => [t.inputs.rule, t.inputs.arn, t.inputs.eventBusName])).toEqual(
      rules.map((r) => [r.inputs.name, topicArn, "orgwarden-security"]),
    );
  });
});

describe("alert topics", () => {
  // The security topic also takes the audit agent's run message (agent/notify.ts); the CIS topic does not.
  const agent = ["arn:aws:iam::333333333333:role/orgwarden-audit-agent"];
  it.each([
    ["detection-security-alerts", "security", "333333333333", "orgwarden-security-alerts", agent],
    ["detection-cis-alarms-topic", "management", "111111111111", "orgwarden-cis-alarms", []],
  ])(
    "%s: KMS-encrypted, publishable only by alarms and EventBridge (and the agent role given), e-mail subscriptions from config",
    (prefix, account, accountId, topicName, publisherRoleArns) => {
      const topic = named(run, `${prefix}-topic`);
      const key = named(run, `${prefix}-key`);
      expect(providerOf(topic)).toBe(`${account}-us-east-1`);
      expect(topic.inputs).toEqual({ name: topicName, kmsMasterKeyId: key.outputs.arn });
      expect(key.inputs.enableKeyRotation).toBe(true);
      const topicArn = `arn:aws:sns:us-east-1:${accountId}:${topicName}`;
      expect(JSON.parse(named(run, `${prefix}-policy`).inputs.policy)).toEqual(
        alertTopicPolicy({ topicArn, accountId, region: "us-east-1", publisherRoleArns }),
      );
      expect(JSON.parse(key.inputs.policy)).toEqual(
        alertKeyPolicy({ accountId, region: "us-east-1", publisherRoleArns }),
      );
      const subs = ofType(run, "aws:sns/topicSubscription:TopicSubscription").filter(
        (s) => s.inputs.topic === topicArn,
      );
      expect(subs.map((s) => [s.inputs.protocol, s.inputs.endpoint])).toEqual([
        ["email", "secops@example.com"],
        ["email", "oncall@example.com"],
      ]);
    },
  );
});

describe("CIS metric filters and alarms", () => {
  it("puts the 15 filters on the organization trail's log group in the management account", () => {
    const filters = ofType(run, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
    expect(
      filters.map((f) => [providerOf(f), f.inputs.logGroupName, f.inputs.pattern, f.inputs.metricTransformation]),
    ).toEqual(
      CIS_FILTERS.map((f) => [
        "management-us-east-1",
        "/orgwarden/cloudtrail",
        f.pattern,
        { name: f.metricName, namespace: "CISBenchmark", value: "1" },
      ]),
    );
  });

  it("wires every alarm, actions enabled, to the management account's topic", () => {
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).toHaveLength(15);
    for (const [n, a] of alarms.entries()) {
      const f = CIS_FILTERS[n];
      expect(providerOf(a)).toBe("management-us-east-1");
      expect(a.inputs).toEqual({
        name: `cis-${f.id.replace(".", "-")}-${f.metricName}`,
        alarmDescription: `CIS ${f.id}${f.securityHubControl ? ` (${f.securityHubControl})` : ""}: ${f.title}`,
        namespace: "CISBenchmark",
        metricName: f.metricName,
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        actionsEnabled: true,
        alarmActions: ["arn:aws:sns:us-east-1:111111111111:orgwarden-cis-alarms"],
      });
    }
  });
});

describe("coverage of the log-archive and security accounts", () => {
  it("gives them plain stacks when their OU is not targeted by the StackSet", async () => {
    const other = await runDetection({ "orgwarden:stackSet.targetOus": JSON.stringify(["Workloads", "Sandbox"]) });
    expect(other.outputs.directAccounts).toEqual(["management", "logArchive", "security"]);
    expect(ofType(other, "aws:cloudformation/stack:Stack").map(providerOf)).toEqual([
      "management-us-east-1",
      "logArchive-us-east-1",
      "security-us-east-1",
    ]);
    expect(
      ofType(other, "aws:cloudformation/stackSetInstance:StackSetInstance").map((i) => i.inputs.deploymentTargets),
    ).toEqual([{ organizationalUnitIds: [OU_IDS.Workloads, OU_IDS.Sandbox] }]);
  });

  const direct = (providers: unknown, targetOus: string[]) =>
    new DetectionBaseline("d", {
      stack: "prod",
      config: parseDetectionConfig({ "stackSet.targetOus": JSON.stringify(targetOus) }),
      homeRegion: "us-east-1",
      governedRegions: ["us-east-1"],
      managementAccountId: ACCOUNTS.management,
      logArchiveAccountId: ACCOUNTS.logArchive,
      securityAccountId: ACCOUNTS.security,
      orgId: ORG_ID,
      rootId: ROOT_ID,
      ouIds: OU_IDS,
      securityOu: "Security",
      trailLogGroupName: "/orgwarden/cloudtrail",
      audit: { readRoleName: "orgwarden-audit-read", agentRoleName: "orgwarden-audit-agent" },
      providers: providers as RegionalProviders,
    });

  it("refuses a target OU the organization does not have, naming it and the known ones", () => {
    const providers = {
      forRegion: () => {
        throw new Error("not reached");
      },
    };
    expect(() => direct(providers, ["Workloads", "Prod"])).toThrow(
      "orgwarden:stackSet.targetOus names Prod, which the organization does not have; known OUs: Security, Workloads, Sandbox",
    );
  });

  it("refuses to run without the per-account provider factory", () => {
    expect(() => direct(undefined, ["Workloads"])).toThrow(
      'orgwarden:detection:DetectionBaseline "d" needs args.providers: the per-account, per-region provider factory (AccountProviders of infra/providers.ts)',
    );
  });
});

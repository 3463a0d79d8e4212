import { describe, expect, it } from "vitest";
import { ConfigValidationError } from "../../../infra/config";
import { AlertTopic, CisAlarms, DETECTION_CONFIG_KEYS, parseDetectionConfig } from "../../../infra/detection";

describe("parseDetectionConfig", () => {
  it("gives the documented defaults when nothing is set", () => {
    expect(parseDetectionConfig({})).toEqual({
      namePrefix: "orgwarden",
      stackSet: {
        targetOus: ["Security", "Workloads"],
        excludeAccounts: [],
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
        regionConcurrencyType: "SEQUENTIAL",
      },
      config: { deliveryFrequency: "TwentyFour_Hours", bucketExpirationDays: 730 },
      guardDuty: {
        features: [
          "S3_DATA_EVENTS",
          "EKS_AUDIT_LOGS",
          "EBS_MALWARE_PROTECTION",
          "RDS_LOGIN_EVENTS",
          "LAMBDA_NETWORK_LOGS",
          "RUNTIME_MONITORING",
        ],
        findingPublishingFrequency: "FIFTEEN_MINUTES",
      },
      securityHub: { configuration: "central", cisVersion: "3.0.0" },
      inspector: { resourceTypes: ["EC2", "ECR", "LAMBDA"] },
      alerts: { emails: [] },
      ssm: {
        targetTagKey: undefined,
        targetTagValue: undefined,
        updateAgentSchedule: "rate(14 days)",
        cloudWatchAgentSchedule: "rate(30 days)",
        complianceSeverity: "HIGH",
      },
      cloudWatchAgent: { logGroupPrefix: "/orgwarden/os", retentionDays: 365 },
      directStacks: { createServiceRoles: true },
    });
  });

  it("reads Pulumi's string forms (JSON arrays, integers)", () => {
    const c = parseDetectionConfig({
      "stackSet.maxConcurrentPercentage": "50",
      "alerts.emails": '["secops@example.com"]',
      "ssm.targetTagKey": "orgwarden:managed",
      "ssm.targetTagValue": "true",
      "detection.guardDuty.features": '["S3_DATA_EVENTS"]',
    });
    expect([
      c.stackSet.maxConcurrentPercentage,
      c.alerts.emails,
      c.ssm.targetTagKey,
      c.ssm.targetTagValue,
      c.guardDuty.features,
    ]).toEqual([50, ["secops@example.com"], "orgwarden:managed", "true", ["S3_DATA_EVENTS"]]);
  });

  const bad: Array<[string, Record<string, string>, string]> = [
    [
      "percentage above 100",
      { "stackSet.maxConcurrentPercentage": "150" },
      "orgwarden:stackSet.maxConcurrentPercentage must be an integer ≥ 1 and ≤ 100",
    ],
    [
      "percentage not a number",
      { "stackSet.failureTolerancePercentage": "ten" },
      "orgwarden:stackSet.failureTolerancePercentage must be an integer ≥ 0 and ≤ 100",
    ],
    [
      "unknown concurrency",
      { "stackSet.regionConcurrencyType": "ALL" },
      "orgwarden:stackSet.regionConcurrencyType must be SEQUENTIAL: the member template creates its global IAM roles (Config service-linked role, event forwarder, audit read role) in the home region only, and PARALLEL would let the other regions start before they exist",
    ],
    [
      "parallel regions would race the global roles",
      { "stackSet.regionConcurrencyType": "PARALLEL" },
      "orgwarden:stackSet.regionConcurrencyType must be SEQUENTIAL: the member template creates its global IAM roles (Config service-linked role, event forwarder, audit read role) in the home region only, and PARALLEL would let the other regions start before they exist",
    ],
    ["no target OU", { "stackSet.targetOus": "[]" }, "orgwarden:stackSet.targetOus must name at least one OU"],
    [
      "unknown GuardDuty feature",
      { "detection.guardDuty.features": '["S3_DATA_EVENTS","MAGIC"]' },
      "orgwarden:detection.guardDuty.features[1] must be one of S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, EKS_RUNTIME_MONITORING, LAMBDA_NETWORK_LOGS, RUNTIME_MONITORING",
    ],
    [
      "both runtime features",
      { "detection.guardDuty.features": '["RUNTIME_MONITORING","EKS_RUNTIME_MONITORING"]' },
      "orgwarden:detection.guardDuty.features must not list both RUNTIME_MONITORING and EKS_RUNTIME_MONITORING (RUNTIME_MONITORING includes EKS)",
    ],
    [
      "CIS version",
      { "detection.securityHub.cisVersion": "1.2.0" },
      "orgwarden:detection.securityHub.cisVersion must be one of 1.4.0, 3.0.0",
    ],
    [
      "Lambda code without Lambda",
      { "detection.inspector.resourceTypes": '["EC2","LAMBDA_CODE"]' },
      "orgwarden:detection.inspector.resourceTypes must include LAMBDA when it includes LAMBDA_CODE (code scanning extends Lambda scanning)",
    ],
    [
      "bad e-mail",
      { "alerts.emails": '["secops"]' },
      "orgwarden:alerts.emails[0] must be e-mail addresses such as security-alerts@example.com",
    ],
    [
      "emails not a list",
      { "alerts.emails": "secops@example.com" },
      "orgwarden:alerts.emails must be a list (YAML sequence) of e-mail addresses",
    ],
    [
      "bad schedule",
      { "ssm.updateAgentSchedule": "every day" },
      "orgwarden:ssm.updateAgentSchedule must be rate(<n> minutes|hours|days) or cron(...)",
    ],
    [
      "severity",
      { "ssm.complianceSeverity": "SEVERE" },
      "orgwarden:ssm.complianceSeverity must be one of CRITICAL, HIGH, MEDIUM, LOW, UNSPECIFIED",
    ],
    [
      "tag value without key",
      { "ssm.targetTagValue": "yes" },
      "orgwarden:ssm.targetTagValue needs orgwarden:ssm.targetTagKey",
    ],
    [
      "retention",
      { "cloudWatchAgent.retentionDays": "100" },
      "orgwarden:cloudWatchAgent.retentionDays must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    [
      "log group prefix",
      { "cloudWatchAgent.logGroupPrefix": "orgwarden/os/" },
      'orgwarden:cloudWatchAgent.logGroupPrefix must start with "/" and not end with "/" (letters, digits and _-./#)',
    ],
    [
      "name prefix",
      { "detection.namePrefix": "OrgWarden" },
      "orgwarden:detection.namePrefix must be 1-20 lowercase letters, digits or hyphens, starting with a letter",
    ],
    [
      "boolean",
      { "detection.directStacks.createServiceRoles": "yes" },
      "orgwarden:detection.directStacks.createServiceRoles must be true or false",
    ],
    [
      "excluded account id",
      { "stackSet.excludeAccounts": '["4444"]' },
      "orgwarden:stackSet.excludeAccounts[0] must be 12-digit AWS account ids",
    ],
    [
      "Security Hub configuration type",
      { "detection.securityHub.configuration": "centralised" },
      "orgwarden:detection.securityHub.configuration must be one of central, local",
    ],
    [
      "delivery frequency",
      { "detection.config.deliveryFrequency": "Daily" },
      "orgwarden:detection.config.deliveryFrequency must be one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours",
    ],
  ];

  it.each(bad)("rejects %s, naming the key", (_label, raw, message) => {
    try {
      parseDetectionConfig(raw);
      expect.fail("accepted a bad config");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigValidationError);
      expect((e as ConfigValidationError).problems).toEqual([message]);
    }
  });

  it("lists every problem at once", () => {
    expect(() =>
      parseDetectionConfig({
        "stackSet.maxConcurrentPercentage": "0",
        "ssm.complianceSeverity": "x",
        "alerts.emails": '["y"]',
      }),
    ).toThrow(
      [
        "invalid detection configuration (3 problems):",
        "  - orgwarden:stackSet.maxConcurrentPercentage must be an integer ≥ 1 and ≤ 100",
        "  - orgwarden:alerts.emails[0] must be e-mail addresses such as security-alerts@example.com",
        "  - orgwarden:ssm.complianceSeverity must be one of CRITICAL, HIGH, MEDIUM, LOW, UNSPECIFIED",
      ].join("\n"),
    );
  });

  it("declares only types Pulumi.yaml config declarations support", () => {
    expect(new Set(DETECTION_CONFIG_KEYS.map((k) => k.type))).toEqual(
      new Set(["string", "integer", "array", "boolean"]),
    );
  });
});

describe("components working in one account", () => {
  it("refuse to run without opts.provider", () => {
    expect(
      () => new AlertTopic("t", { accountId: "111111111111", region: "us-east-1", topicName: "x", emails: [] }),
    ).toThrow('orgwarden:detection:AlertTopic "t" needs opts.provider');
    expect(() => new CisAlarms("c", { logGroupName: "/x", topicArn: "arn:aws:sns:us-east-1:111111111111:x" })).toThrow(
      'orgwarden:detection:CisAlarms "c" needs opts.provider',
    );
  });
});

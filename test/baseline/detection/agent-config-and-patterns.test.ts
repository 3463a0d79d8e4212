import { describe, expect, it } from "vitest";
import {
  cisEventsPatterns,
  cloudWatchAgentConfig,
  EVENT_PATTERN_MAX_CHARS,
  eventPatternJson,
  guardDutyHighSeverityPattern,
  securityHubHighSeverityPattern,
} from "../../../baseline/detection";

describe("cloudWatchAgentConfig", () => {
  const cfg = cloudWatchAgentConfig({ logGroupPrefix: "/orgwarden/os", retentionDays: 365 });

  it("collects the five Linux security logs with a retention", () => {
    expect(cfg.logs.logs_collected.files.collect_list).toEqual([
      {
        file_path: "/var/log/secure",
        log_group_name: "/orgwarden/os/linux/secure",
        log_stream_name: "{instance_id}",
        retention_in_days: 365,
      },
      {
        file_path: "/var/log/auth.log",
        log_group_name: "/orgwarden/os/linux/auth",
        log_stream_name: "{instance_id}",
        retention_in_days: 365,
      },
      {
        file_path: "/var/log/audit/audit.log",
        log_group_name: "/orgwarden/os/linux/audit",
        log_stream_name: "{instance_id}",
        retention_in_days: 365,
      },
      {
        file_path: "/var/log/messages",
        log_group_name: "/orgwarden/os/linux/messages",
        log_stream_name: "{instance_id}",
        retention_in_days: 365,
      },
      {
        file_path: "/var/log/syslog",
        log_group_name: "/orgwarden/os/linux/syslog",
        log_stream_name: "{instance_id}",
        retention_in_days: 365,
      },
    ]);
  });

  it("collects the Windows Security event log", () => {
    expect(cfg.logs.logs_collected.windows_events.collect_list).toEqual([
      {
        event_name: "Security",
        event_levels: ["INFORMATION", "WARNING", "ERROR", "CRITICAL"],
        log_group_name: "/orgwarden/os/windows/security",
        log_stream_name: "{instance_id}",
        retention_in_days: 365,
      },
    ]);
    expect(cfg.agent).toEqual({ run_as_user: "root" });
  });

  it("refuses a retention CloudWatch Logs does not accept, naming the allowed values", () => {
    expect(() => cloudWatchAgentConfig({ logGroupPrefix: "/orgwarden/os", retentionDays: 100 })).toThrow(
      "cloudWatchAgentConfig: retentionDays must be one of the CloudWatch Logs retention values 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 100",
    );
  });

  it("refuses a log group prefix without a leading slash", () => {
    expect(() => cloudWatchAgentConfig({ logGroupPrefix: "orgwarden/os", retentionDays: 30 })).toThrow(
      /logGroupPrefix must start with "\/"/,
    );
  });
});

describe("event patterns", () => {
  it("routes GuardDuty findings of severity 7 and above (HIGH, CRITICAL)", () => {
    expect(guardDutyHighSeverityPattern()).toEqual({
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
      detail: { severity: [{ numeric: [">=", 7] }] },
    });
  });

  it("routes Security Hub HIGH/CRITICAL findings except GuardDuty's own (routed once, by the GuardDuty rule)", () => {
    expect(securityHubHighSeverityPattern()).toEqual({
      source: ["aws.securityhub"],
      "detail-type": ["Security Hub Findings - Imported"],
      detail: {
        findings: { Severity: { Label: ["HIGH", "CRITICAL"] }, ProductName: [{ "anything-but": "GuardDuty" }] },
      },
    });
  });

  it("splits the CIS events into patterns that each fit EventBridge's 2,048-character limit", () => {
    const ps = cisEventsPatterns();
    expect(
      ps.map((p) => (p.$or as Array<{ detail: { eventSource: string[] } }>).map((o) => o.detail.eventSource[0])),
    ).toEqual([
      [
        "iam.amazonaws.com",
        "cloudtrail.amazonaws.com",
        "kms.amazonaws.com",
        "s3.amazonaws.com",
        "config.amazonaws.com",
        "ec2.amazonaws.com",
      ],
      ["organizations.amazonaws.com"],
    ]);
    for (const p of ps) expect(JSON.stringify(p).length).toBeLessThanOrEqual(EVENT_PATTERN_MAX_CHARS);
  });

  it("eventPatternJson refuses an oversized pattern", () => {
    expect(() => eventPatternJson({ source: ["x".repeat(3000)] })).toThrow(
      /event pattern is 3015 characters; EventBridge allows at most 2048/,
    );
  });
});

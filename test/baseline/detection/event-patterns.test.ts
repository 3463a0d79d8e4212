import { describe, expect, it } from "vitest";
import {
  cisEventsPatterns,
  findingsForwardPattern,
  guardDutyHighSeverityPattern,
  securityHubHighSeverityPattern,
} from "../../../baseline/detection";
import { eventMatches } from "./event-pattern-matcher";

/** EventBridge envelopes as AWS delivers them (fields no pattern reads trimmed). */
const envelope = (source: string, detailType: string, detail: Record<string, unknown>) => ({
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": detailType,
  source,
  account: "444444444444",
  time: "2026-11-20T10:00:00Z",
  region: "eu-west-1",
  resources: [],
  detail,
});

const guardDuty = (severity: number) =>
  envelope("aws.guardduty", "GuardDuty Finding", {
    schemaVersion: "2.0",
    accountId: "444444444444",
    region: "eu-west-1",
    type: "UnauthorizedAccess:EC2/SSHBruteForce",
    severity,
  });

const securityHub = (label: string, productName: string) =>
  envelope("aws.securityhub", "Security Hub Findings - Imported", {
    findings: [
      {
        SchemaVersion: "2018-10-08",
        AwsAccountId: "444444444444",
        ProductName: productName,
        Severity: { Label: label, Normalized: 70 },
        Title: "x",
      },
    ],
  });

const apiCall = (service: string, eventName: string) =>
  envelope(`aws.${service}`, "AWS API Call via CloudTrail", {
    eventVersion: "1.09",
    eventSource: `${service}.amazonaws.com`,
    eventName,
    awsRegion: "eu-west-1",
  });

describe("forwarding patterns on real event envelopes", () => {
  it("forwards GuardDuty and Security Hub findings of any severity, and nothing else", () => {
    expect(eventMatches(findingsForwardPattern(), guardDuty(2))).toBe(true);
    expect(eventMatches(findingsForwardPattern(), securityHub("LOW", "Inspector"))).toBe(true);
    expect(eventMatches(findingsForwardPattern(), apiCall("iam", "AttachRolePolicy"))).toBe(false);
  });

  it("forwards the CIS change events and not their read-only neighbours", () => {
    const [first, second] = cisEventsPatterns();
    expect(eventMatches(first, apiCall("iam", "AttachRolePolicy"))).toBe(true);
    expect(eventMatches(first, apiCall("ec2", "AuthorizeSecurityGroupIngress"))).toBe(true);
    expect(eventMatches(first, apiCall("cloudtrail", "StopLogging"))).toBe(true);
    expect(eventMatches(first, apiCall("iam", "ListRoles"))).toBe(false);
    expect(eventMatches(second, apiCall("organizations", "LeaveOrganization"))).toBe(true);
    expect(eventMatches(second, apiCall("iam", "CreatePolicy"))).toBe(false);
    expect(eventMatches(first, apiCall("organizations", "LeaveOrganization"))).toBe(false);
  });

  it("pairs each event name with its own source (no IAM name matches under EC2)", () => {
    expect(eventMatches(cisEventsPatterns()[0], apiCall("ec2", "AttachRolePolicy"))).toBe(false);
  });
});

describe("routing patterns on the central bus", () => {
  it("routes GuardDuty findings from severity 7 (HIGH and CRITICAL)", () => {
    expect([6.9, 7, 8.9, 10].map((s) => eventMatches(guardDutyHighSeverityPattern(), guardDuty(s)))).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });

  it("routes Security Hub HIGH and CRITICAL findings, except those imported from GuardDuty", () => {
    const p = securityHubHighSeverityPattern();
    expect(eventMatches(p, securityHub("HIGH", "Inspector"))).toBe(true);
    expect(eventMatches(p, securityHub("CRITICAL", "Security Hub"))).toBe(true);
    expect(eventMatches(p, securityHub("MEDIUM", "Inspector"))).toBe(false);
    expect(eventMatches(p, securityHub("HIGH", "GuardDuty"))).toBe(false);
  });
});

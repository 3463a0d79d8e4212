import type { MemberBaselineTemplateInput } from "../../../baseline/detection";

export const TEMPLATE_INPUT: MemberBaselineTemplateInput = {
  orgId: "o-a1b2c3d4e5",
  homeRegion: "us-east-1",
  securityAccountId: "333333333333",
  configBucketName: "orgwarden-prod-config-111111111111",
  configDeliveryFrequency: "TwentyFour_Hours",
  centralBusArn: "arn:aws:events:us-east-1:333333333333:event-bus/orgwarden-security",
  auditReadRoleName: "orgwarden-audit-read",
  auditAgentRoleName: "orgwarden-audit-agent",
  ssm: { updateAgentSchedule: "rate(14 days)", cloudWatchAgentSchedule: "rate(30 days)", complianceSeverity: "HIGH" },
  cloudWatchAgent: { logGroupPrefix: "/orgwarden/os", retentionDays: 365 },
  namePrefix: "orgwarden",
};

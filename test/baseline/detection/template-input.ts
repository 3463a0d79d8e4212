import type { MemberBaselineTemplateInput } from "../../../baseline/detection";

export const TEMPLATE_INPUT: MemberBaselineTemplateInput = {
  orgId: "o-a1b2c3d4e5",
  homeRegion: "us-east-1",
  securityAccountId: "333333333333",
  configBucketName: "orgwarden-prod-config-111111111111",
  configKmsKeyArn: "arn:aws:kms:us-east-1:222222222222:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  configDeliveryFrequency: "TwentyFour_Hours",
  centralBusArn: "arn:aws:events:us-east-1:333333333333:event-bus/orgwarden-security",
  auditReadRoleName: "orgwarden-audit-read",
  auditAgentRoleName: "orgwarden-audit-agent",
  ssm: { updateAgentSchedule: "rate(14 days)", cloudWatchAgentSchedule: "rate(30 days)", complianceSeverity: "HIGH" },
  cloudWatchAgent: { logGroupPrefix: "/orgwarden/os", retentionDays: 365 },
  namePrefix: "orgwarden",
};

/**
 * The ids of the agent's registered checks (agent/checks/registry.ts), known to the kernel so that
 * infra can validate the waivers it publishes exactly as the CLI does, without importing the agent.
 * test/agent/check-ids.test.ts keeps this list equal to the registry.
 */
export const AUDIT_CHECK_IDS = [
  "scp-logging-present",
  "accounts-enrolled",
  "org-trail-is-organization-trail",
  "trail-logging",
  "trail-configuration",
  "trail-s3-delivery",
  "trail-cloudwatch-delivery",
  "trail-digest-delivery",
  "trail-event-selectors",
  "archive-bucket-policy",
  "archive-object-lock",
  "archive-versioning",
  "archive-encryption",
  "archive-public-access",
  "archive-delivery-freshness",
  "kms-key-policy",
  "kms-grants",
  "kms-key-state",
  "config-recorder",
  "guardduty-enabled",
  "securityhub-enabled",
  "inspector-enabled",
  "ssm-agent-associations",
  "trail-log-group",
  "cis-metric-filter-alarms",
  "trail-log-integrity",
  "audit-manifest-parameter",
  "flow-log-bucket-policy",
  "flow-log-bucket-encryption",
  "flow-log-bucket-tls",
  "dns-query-log-config",
] as const;

import type { ServiceEnabledFacts } from "./facts";
import { defineControl, mustBeTrue } from "./types";

/** Enabled for the accounts: the hub itself (audit), or auto-enable / central configuration for the organization (preview). */
export const securityhubEnabled = defineControl<ServiceEnabledFacts, void, "enabled">(
  {
    id: "securityhub-enabled",
    title: "Security Hub is enabled for the organization's accounts",
    severity: "medium",
    risk: "Without Security Hub, findings from GuardDuty, Inspector and Config never reach the security account's aggregated view.",
    cis: [{ version: "3.0.0", id: "4.16" }],
    fsbp: [],
    references: ["https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html"],
  },
  (f) => mustBeTrue("enabled", f.enabled, false),
);

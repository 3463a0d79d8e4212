import type { ServiceEnabledFacts } from "./facts";
import { defineControl, mustBeTrue } from "./types";

/** A GuardDuty detector is enabled when created unless told otherwise. */
export const guarddutyEnabled = defineControl<ServiceEnabledFacts, void, "enabled">(
  {
    id: "guardduty-enabled",
    title: "GuardDuty has an enabled detector",
    severity: "high",
    risk: "Without an enabled detector, credential misuse, crypto-mining and reconnaissance raise no finding.",
    cis: [],
    fsbp: ["GuardDuty.1"],
    references: [
      "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html",
    ],
  },
  (f) => mustBeTrue("enabled", f.enabled, true),
);

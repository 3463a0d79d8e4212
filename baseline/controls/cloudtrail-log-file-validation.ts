import type { TrailFacts } from "./facts";
import { defineControl, mustBeTrue } from "./types";

export const cloudtrailLogFileValidation = defineControl<
  Pick<TrailFacts, "logFileValidation">,
  void,
  "logFileValidation"
>(
  {
    id: "cloudtrail-log-file-validation",
    title: "The trail validates its log files (signed digest files)",
    severity: "high",
    risk: "Without validation a log file that was altered or deleted after delivery cannot be detected.",
    cis: [{ version: "3.0.0", id: "3.2" }],
    fsbp: ["CloudTrail.4"],
    references: [
      "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    ],
  },
  (f) => mustBeTrue("logFileValidation", f.logFileValidation, false),
);

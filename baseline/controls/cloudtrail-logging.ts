import type { TrailFacts } from "./facts";
import { defineControl, mustBeTrue } from "./types";

/** A trail logs from creation unless it is stopped. */
export const cloudtrailLogging = defineControl<Pick<TrailFacts, "isLogging">, void, "isLogging">(
  {
    id: "cloudtrail-logging",
    title: "The trail is logging",
    severity: "critical",
    risk: "A stopped trail records nothing: every API call from then on leaves no trace.",
    cis: [{ version: "3.0.0", id: "3.1" }],
    fsbp: ["CloudTrail.1"],
    references: [
      "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartLogging.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    ],
  },
  (f) => mustBeTrue("isLogging", f.isLogging, true),
);

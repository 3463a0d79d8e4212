import type { TrailFacts } from "./facts";
import { defineControl, mustBeTrue } from "./types";

/** CloudTrail's default for a trail created without the flag is single-region. */
export const cloudtrailMultiRegion = defineControl<Pick<TrailFacts, "isMultiRegionTrail">, void, "isMultiRegionTrail">(
  {
    id: "cloudtrail-multi-region",
    title: "The trail records every region",
    severity: "critical",
    risk: "A single-region trail misses activity in every other region, where an intruder can work unrecorded.",
    cis: [{ version: "3.0.0", id: "3.1" }],
    fsbp: ["CloudTrail.1"],
    references: [
      "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    ],
  },
  (f) => mustBeTrue("isMultiRegionTrail", f.isMultiRegionTrail, false),
);

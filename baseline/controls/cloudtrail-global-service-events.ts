import type { TrailFacts } from "./facts";
import { defineControl, mustBeTrue } from "./types";

/** CloudTrail includes global service events unless told not to. */
export const cloudtrailGlobalServiceEvents = defineControl<
  Pick<TrailFacts, "includeGlobalServiceEvents">,
  void,
  "includeGlobalServiceEvents"
>(
  {
    id: "cloudtrail-global-service-events",
    title: "The trail records global service events (IAM, STS, CloudFront)",
    severity: "high",
    risk: "Without global service events IAM and STS changes — new users, keys, role trust — go unrecorded.",
    cis: [{ version: "3.0.0", id: "3.1" }],
    fsbp: ["CloudTrail.1"],
    references: [
      "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    ],
  },
  (f) => mustBeTrue("includeGlobalServiceEvents", f.includeGlobalServiceEvents, true),
);

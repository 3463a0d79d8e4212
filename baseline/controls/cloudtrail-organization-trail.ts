import type { TrailFacts } from "./facts";
import { defineControl, mustBeTrue } from "./types";

export const cloudtrailOrganizationTrail = defineControl<
  Pick<TrailFacts, "isOrganizationTrail">,
  void,
  "isOrganizationTrail"
>(
  {
    id: "cloudtrail-organization-trail",
    title: "The management account's trail is an organization trail",
    severity: "high",
    risk: "A trail that is not an organization trail records the management account only: activity in every member account goes unrecorded.",
    cis: [],
    fsbp: [],
    references: ["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html"],
  },
  (f) => mustBeTrue("isOrganizationTrail", f.isOrganizationTrail, false),
);

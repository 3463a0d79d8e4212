import { describeGapCube, intendedTrailSelectors, selectorGaps, type EventSelectorModel } from "../event-selectors";
import { defineControl, type Fact, type Gap } from "./types";

export interface ManagementEventFacts {
  /** The trail's selectors, basic ones as their advanced equivalent (baseline/event-selectors.ts). */
  selectors: Fact<readonly EventSelectorModel[]>;
}

/** Every management event: read and write, from every event source (KMS and RDS Data API included). */
const ALL_MANAGEMENT = intendedTrailSelectors({ logBucketNames: [] });

/**
 * Judged by meaning: the union of the selectors must record every management event. A selector
 * that excludes an event source, a read/write type or an event name leaves a gap, even next to
 * `eventCategory = Management`; each gap names the events excluded.
 */
export const cloudtrailManagementEvents = defineControl<ManagementEventFacts, void, "selectors", string>(
  {
    id: "cloudtrail-management-events",
    title: "The trail records every management event, read and write, from every event source",
    severity: "high",
    risk: "Event selectors can silently narrow a logging trail: write-only management events hide reconnaissance, and an excluded event source (KMS, RDS Data API, any other) hides everything done through it.",
    cis: [{ version: "3.0.0", id: "3.1" }],
    fsbp: ["CloudTrail.1"],
    references: [
      "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html",
      "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    ],
  },
  (f): Gap<"selectors", string>[] => {
    if (f.selectors.kind !== "known")
      return [{ field: "selectors", expected: "every management event", found: f.selectors }];
    const g = selectorGaps(ALL_MANAGEMENT, f.selectors.value);
    if (g.tooComplex !== undefined)
      return [
        {
          field: "selectors",
          expected: "every management event",
          found: f.selectors,
          reason: `too complex to judge (${g.tooComplex} combinations)`,
        },
      ];
    return g.cubes.map((c) => ({
      field: "selectors",
      expected: "every management event",
      found: f.selectors,
      reason: describeGapCube(c, g.literals),
    }));
  },
);

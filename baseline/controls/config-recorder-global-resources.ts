import type { GlobalRecordingFacts } from "./facts";
import { defineControl } from "./types";

export interface GlobalRecordingParams {
  /** The region meant to record them, where the side knows it (the audit manifest's home region). */
  homeRegion?: string;
}

export type GlobalReason = "none" | "several" | "not-home";

/**
 * Global resource types (IAM users, roles, policies) are recorded in exactly one region per account:
 * none leaves IAM without history, several duplicate every configuration item.
 */
export const configRecorderGlobalResources = defineControl<
  GlobalRecordingFacts,
  GlobalRecordingParams,
  "regionsRecordingGlobal",
  GlobalReason
>(
  {
    id: "config-recorder-global-resources",
    title: "Each account records global resource types (IAM) in exactly one region, the home region where it is known",
    severity: "high",
    risk: "Without global resource types IAM changes leave no configuration history; recorded in several regions they duplicate every configuration item.",
    cis: [{ version: "3.0.0", id: "3.3" }],
    fsbp: ["Config.1"],
    references: [
      "https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html#select-resources-all",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html",
    ],
  },
  (f, p) => {
    const r = f.regionsRecordingGlobal;
    const expected = p.homeRegion ? `only ${p.homeRegion}` : "exactly one region";
    if (r.kind !== "known") return [{ field: "regionsRecordingGlobal", expected, found: r }];
    if (r.value.length === 0) return [{ field: "regionsRecordingGlobal", expected, found: r, reason: "none" }];
    if (r.value.length > 1) return [{ field: "regionsRecordingGlobal", expected, found: r, reason: "several" }];
    if (p.homeRegion && r.value[0] !== p.homeRegion)
      return [{ field: "regionsRecordingGlobal", expected, found: r, reason: "not-home" }];
    return [];
  },
);

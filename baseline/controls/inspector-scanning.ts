import type { InspectorFacts } from "./facts";
import { defineControl, type Gap } from "./types";

export interface InspectorParams {
  /** Scan types that must be on (keys of scanTypes: ec2, ecr, lambda, lambdaCode). */
  required: string[];
}

/** Absent scan types = Inspector not activated at all: one gap for the whole set. */
export const inspectorScanning = defineControl<InspectorFacts, InspectorParams, string>(
  {
    id: "inspector-scanning",
    title: "Amazon Inspector scans the required resource types (EC2, ECR, Lambda)",
    severity: "medium",
    risk: "With a scan type off, vulnerable instances, images or functions go unreported.",
    cis: [],
    fsbp: ["Inspector.1", "Inspector.2", "Inspector.3", "Inspector.4"],
    references: [
      "https://docs.aws.amazon.com/inspector/latest/user/activate-scans.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/inspector-controls.html",
    ],
  },
  (f, p) => {
    const s = f.scanTypes;
    if (s.kind !== "known") return [{ field: "scanTypes", expected: p.required.join(", "), found: s }];
    return p.required.flatMap((k): Gap<string>[] => {
      const v = s.value[k] ?? { kind: "absent" };
      return v.kind === "known" && v.value === true ? [] : [{ field: k, expected: "true", found: v }];
    });
  },
);

import type { RecorderFacts } from "./facts";
import { defineControl, mustBeTrue } from "./types";

/** AWS Config records all supported types when no recording group says otherwise. */
export const configRecorderAllSupported = defineControl<RecorderFacts, void, "allSupported">(
  {
    id: "config-recorder-all-supported",
    title: "AWS Config recorders record all supported resource types",
    severity: "high",
    risk: "A recorder limited to a few types leaves every other resource without configuration history, and Security Hub controls that depend on Config go blind.",
    cis: [{ version: "3.0.0", id: "3.3" }],
    fsbp: ["Config.1"],
    references: [
      "https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html",
    ],
  },
  (f) => mustBeTrue("allSupported", f.allSupported, true),
);

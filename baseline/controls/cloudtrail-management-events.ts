import type { SelectorFacts } from "./facts";
import { defineControl, type Gap } from "./types";

type Field = "managementRead" | "managementWrite";

export const cloudtrailManagementEvents = defineControl<Pick<SelectorFacts, Field>, void, Field>(
  {
    id: "cloudtrail-management-events",
    title: "The trail records management read and write events",
    severity: "high",
    risk: "Event selectors can silently narrow a logging trail: write-only management events hide reconnaissance.",
    cis: [{ version: "3.0.0", id: "3.1" }],
    fsbp: ["CloudTrail.1"],
    references: [
      "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    ],
  },
  (f) =>
    (["managementRead", "managementWrite"] as const).flatMap((k): Gap<Field>[] =>
      f[k].kind === "known" && f[k].value ? [] : [{ field: k, expected: "recorded", found: f[k] }],
    ),
);

import type { SelectorFacts } from "./facts";
import { defineControl, type Gap } from "./types";

export interface DataEventParams {
  s3: boolean;
  lambda: boolean;
}

type Field = "s3DataEvents" | "lambdaDataEvents";

/** Only the data events asked for: more cost money but hide nothing. */
export const cloudtrailDataEvents = defineControl<Pick<SelectorFacts, Field>, DataEventParams, Field>(
  {
    id: "cloudtrail-data-events",
    title: "The trail records the S3 object and Lambda invoke data events the baseline asks for",
    severity: "medium",
    risk: "Without data events, object reads and writes in the buckets and function invocations leave no record.",
    cis: [
      { version: "3.0.0", id: "3.8" },
      { version: "3.0.0", id: "3.9" },
    ],
    fsbp: ["S3.22", "S3.23"],
    references: [
      "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html",
    ],
  },
  (f, p) => {
    const gaps: Gap<Field>[] = [];
    for (const [field, wanted] of [
      ["s3DataEvents", p.s3],
      ["lambdaDataEvents", p.lambda],
    ] as const) {
      const v = f[field];
      if (wanted && !(v.kind === "known" && v.value)) gaps.push({ field, expected: "recorded", found: v });
    }
    return gaps;
  },
);

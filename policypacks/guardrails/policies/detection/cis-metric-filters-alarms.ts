import { ALL_CIS_CONTROLS, CisAlarmConfig, cisMetricFiltersAndAlarms } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const cisMetricFiltersAlarms = stackPolicy<CisAlarmConfig>(
  {
    name: "cis-metric-filters-alarms",
    description:
      "Checks that every CIS monitoring metric filter exists on the trail's log group with an alarm whose actions are enabled.",
    severity: "high",
    framework: cis(
      "1.5.0",
      "4.1-4.15",
      "Monitoring: metric filters and alarms for unauthorized API calls, root use, policy, trail, KMS, S3, Config, network and Organizations changes",
    ),
    remediationSteps:
      "For each control add an aws.cloudwatch.LogMetricFilter on the trail's log group with the pattern from baseline/detection/cis-filters.ts, publishing value 1 to its CISBenchmark metric, and an aws.cloudwatch.MetricAlarm on that metric that fires on one event (Sum ≥ 1 over one datapoint, no dimensions) with actionsEnabled and an SNS topic among its alarm actions.",
    controls: ["cis-metric-filter-alarm"],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      controls: z
        .array(z.enum(ALL_CIS_CONTROLS as [string, ...string[]]))
        .default([...ALL_CIS_CONTROLS])
        .describe("CIS control ids whose filter and alarm are required."),
      externalTrailLogGroupName: z
        .string()
        .min(1)
        .optional()
        .describe(
          "The log group of an organization trail the stack does not lay (AWS Control Tower's aws-controltower/CloudTrailLogs): the filters and alarms must be on it.",
        ),
    }),
  },
  (resources, cfg) => cisMetricFiltersAndAlarms(resources, cfg),
);

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CIS_ALARM, CIS_FILTERS, CIS_METRIC_NAMESPACE, cisAlarmName, cisFilterName } from "../../baseline/detection";
import { requireProvider } from "../providers";

export interface CisAlarmsArgs {
  /** The organization trail's log group (management account, home region). */
  logGroupName: pulumi.Input<string>;
  /** Topic of the same account and region: an alarm cannot notify a topic elsewhere. */
  topicArn: pulumi.Input<string>;
  /** The log group (or the trail that creates it) must exist before a filter can be put on it. */
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/** One metric filter and one alarm per CIS monitoring control, on the organization trail's log group. */
export class CisAlarms extends pulumi.ComponentResource {
  public readonly alarmNames: string[];

  constructor(name: string, args: CisAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:detection:CisAlarms", name, opts);
    super("orgwarden:detection:CisAlarms", name, {}, opts);
    this.alarmNames = CIS_FILTERS.map((f) => {
      const filterName = cisFilterName(f);
      const id = f.id.replace(".", "-");
      const filter = new aws.cloudwatch.LogMetricFilter(
        `${name}-${id}-filter`,
        {
          name: filterName,
          logGroupName: args.logGroupName,
          pattern: f.pattern,
          metricTransformation: { name: f.metricName, namespace: CIS_METRIC_NAMESPACE, value: CIS_ALARM.metricValue },
        },
        { parent: this, dependsOn: args.waitFor ?? [] },
      );
      new aws.cloudwatch.MetricAlarm(
        `${name}-${id}-alarm`,
        {
          name: cisAlarmName(f),
          alarmDescription: `CIS ${f.id}${f.securityHubControl ? ` (${f.securityHubControl})` : ""}: ${f.title}`,
          namespace: CIS_METRIC_NAMESPACE,
          metricName: f.metricName,
          statistic: CIS_ALARM.statistic,
          period: CIS_ALARM.period,
          evaluationPeriods: CIS_ALARM.evaluationPeriods,
          threshold: CIS_ALARM.threshold,
          comparisonOperator: CIS_ALARM.comparisonOperator,
          treatMissingData: CIS_ALARM.treatMissingData,
          actionsEnabled: true,
          alarmActions: [args.topicArn],
        },
        { parent: this, dependsOn: [filter] },
      );
      return filterName;
    });
    this.registerOutputs({ alarmNames: this.alarmNames });
  }
}

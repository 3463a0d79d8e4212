/**
 * CloudWatch cross-account observability for the audit dashboard: the security account is the
 * monitoring account (a sink and its policy), the management account a source account (a link that
 * shares two metric namespaces and nothing else: CISBenchmark, the CIS metric filters' metrics, and
 * AWS/Logs, whose IncomingLogEvents of the trail's log group tells the dashboard that the CIS
 * filters have events to read and that the link works; infra/cis-alarm-view.ts).
 *
 * Why OAM and not the older cross-account cross-Region console (CloudWatch-CrossAccountSharingRole):
 * - OAM shares exactly what a link names: one resource type (AWS::CloudWatch::Metric) filtered to
 *   namespaces (MetricConfiguration, https://docs.aws.amazon.com/OAM/latest/APIReference/API_MetricConfiguration.html).
 *   The older feature's sharing role grants the read-only permissions chosen at setup "to all users
 *   that view a cross account dashboard" in the monitoring account
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Cross-Account-Cross-Region.html),
 *   an IAM role in the management account rather than a filter on two namespaces.
 * - In an OAM monitoring account, alarms can watch metrics of source accounts (a metric query with
 *   AccountId; PutMetricAlarm / MetricDataQuery.AccountId, and "Monitor across accounts and Regions",
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Cross-Account-Methods.html),
 *   whereas the cross-account cross-Region console "does not support the creation of alarms on metrics
 *   in other accounts or Regions from within a monitoring account"
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Cross-Account-Cross-Region.html;
 *   PutMetricAlarm's reference still describes cross-account alarms through its sharing role: the
 *   pages disagree, and nothing here depends on that feature).
 * - OAM does not share alarms (no alarm resource type in PutSinkPolicy / CreateLink), so an alarm
 *   widget in the security account cannot show the management account's alarms. The dashboard shows
 *   alarms of its own account that evaluate the same linked metrics with the same settings
 *   (infra/audit-dashboard.ts), and graphs the metrics themselves.
 * OAM is regional: sink and link are in the home region, where the CIS filters and the dashboard are.
 * "Each account can contain one sink per Region" (OAM CreateSink), hence audit.dashboard.crossAccount for a
 * security account that already has one.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CIS_METRIC_NAMESPACE } from "../baseline/detection";
import { observabilitySinkPolicy, SINK_RESOURCE_TYPES } from "../baseline/observability-sink-policy";
import { TRAIL_EVENTS_METRIC } from "./cis-alarm-view";
import { requireProvider } from "./providers";

export function observabilitySinkName(stack: string): string {
  return `orgwarden-${stack}-monitoring`;
}

/** OAM's metric filter syntax: Namespace IN ('<name>', …) (single quotes, case-sensitive). */
export const LINKED_NAMESPACES = [CIS_METRIC_NAMESPACE, TRAIL_EVENTS_METRIC.namespace] as const;
export const LINK_METRIC_FILTER = `Namespace IN (${LINKED_NAMESPACES.map((n) => `'${n}'`).join(", ")})`;

/** The source account is shown by its Organizations account name in the monitoring account ($AccountName, CreateLink LabelTemplate). */
export const LINK_LABEL_TEMPLATE = "$AccountName";

export interface ObservabilitySinkArgs {
  stack: string;
  /** The only account that may link: the management account, where the CIS metric filters are. */
  sourceAccountId: string;
}

/** The monitoring account's attachment point (security account, home region) and who may attach to it. */
export class ObservabilitySink extends pulumi.ComponentResource {
  public readonly sinkArn: pulumi.Output<string>;
  public readonly policy: aws.oam.SinkPolicy;

  constructor(name: string, args: ObservabilitySinkArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:audit:ObservabilitySink", name, opts);
    super("orgwarden:audit:ObservabilitySink", name, {}, opts);
    const sink = new aws.oam.Sink(`${name}-sink`, { name: observabilitySinkName(args.stack) }, { parent: this });
    this.policy = new aws.oam.SinkPolicy(
      `${name}-policy`,
      {
        sinkIdentifier: sink.arn,
        policy: JSON.stringify(
          observabilitySinkPolicy({ sourceAccountIds: [args.sourceAccountId], resourceTypes: SINK_RESOURCE_TYPES }),
        ),
      },
      { parent: this },
    );
    this.sinkArn = sink.arn;
    this.registerOutputs({ sinkArn: this.sinkArn });
  }
}

export interface ObservabilityLinkArgs {
  sinkArn: pulumi.Input<string>;
  /** CreateLink is refused until the sink policy admits this account. */
  sinkPolicy: pulumi.Resource;
}

/** The management account's link: the CISBenchmark and AWS/Logs metrics, nothing else, to the security account's sink. */
export class ObservabilityLink extends pulumi.ComponentResource {
  public readonly linkArn: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityLinkArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:audit:ObservabilityLink", name, opts);
    super("orgwarden:audit:ObservabilityLink", name, {}, opts);
    const link = new aws.oam.Link(
      `${name}-link`,
      {
        sinkIdentifier: args.sinkArn,
        labelTemplate: LINK_LABEL_TEMPLATE,
        resourceTypes: [...SINK_RESOURCE_TYPES],
        linkConfiguration: { metricConfiguration: { filter: LINK_METRIC_FILTER } },
      },
      { parent: this, dependsOn: [args.sinkPolicy] },
    );
    this.linkArn = link.arn;
    this.registerOutputs({ linkArn: this.linkArn });
  }
}

import { accountRoot, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedAggregatorSource, ObservedState } from "../../model";
import { blocked, errorFinding, verdict, type CheckContext } from "../common";
import { isFinding, pipelineConfigIntent, type PipelineConfigIntent } from "../pipeline-intent";

export const metadata: CheckMetadata = {
  id: "config-aggregator",
  title: "The organization's AWS Config aggregator collects every account and governed region with the aggregator role",
  area: "detection",
  severity: "MEDIUM",
  risk: "Without the organization aggregator, or with one that misses regions, uses another role or fails to update its sources, the security account loses its one view of every account's configuration and compliance: drift in a member account is no longer visible centrally.",
  remediation: {
    console:
      "AWS Config console (security account <account>, region <region>) → Aggregators → <aggregator>: source type organization, role <aggregator-role-arn>, regions <aggregator-regions>; for a failed source, open it and fix what its error names (the role, or the account's Config).",
    cli: "aws configservice put-configuration-aggregator --region <region> --configuration-aggregator-name <aggregator> --organization-aggregation-source RoleArn=<aggregator-role-arn>,AwsRegions=<aggregator-regions>; aws configservice describe-configuration-aggregator-sources-status --region <region> --configuration-aggregator-name <aggregator> --update-status FAILED",
    pulumi:
      "infra/detection/config-aggregator.ts lays the aggregator (aws.cfg.ConfigurationAggregator) and its role in the security account; run `pulumi up` on stack <stack>.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/config/latest/developerguide/aggregate-data.html",
    "https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationAggregators.html",
    "https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationAggregatorSourcesStatus.html",
  ],
};

type AggregatorIntent = PipelineConfigIntent["aggregator"];

const SHOWN = 10;

function failedSourcesText(s: ObservedAggregatorSource[]): string {
  const named = s
    .slice(0, SHOWN)
    .map(
      (x) =>
        `${x.sourceId ?? "?"}/${x.region ?? "?"}${x.lastErrorCode || x.lastErrorMessage ? ` (${[x.lastErrorCode, x.lastErrorMessage].filter(Boolean).join(": ")})` : ""}`,
    );
  const more = s.length > SHOWN ? ` and ${s.length - SHOWN} more` : "";
  return `${s.length} source${s.length === 1 ? "" : "s"} failed to update: ${named.join(", ")}${more}`;
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const intent = pipelineConfigIntent(metadata, intended);
  if (isFinding(intent)) return [intent];
  const want: AggregatorIntent = intent.aggregator;
  const scope = { account: want.accountId, region: want.region, resourceArn: accountRoot(want.accountId) };
  const a = observed.configAggregator;
  if (!a || a.name !== want.name)
    return [
      errorFinding(
        metadata,
        scope,
        {
          name: "NotCollected",
          operation: "DescribeConfigurationAggregators",
          service: "config",
          message: `the observed state holds no reading of the aggregator ${want.name}`,
        },
        want,
      ),
    ];
  const stop = blocked(metadata, observed, scope, want, a.aggregator, a.failedSources);
  if (stop) return [stop];
  const agg = a.aggregator.ok ? a.aggregator.value : undefined;
  const failedSources = a.failedSources.ok ? a.failedSources.value : [];
  const where = `the security account ${want.accountId} in ${want.region}`;
  if (!agg)
    return [
      verdict(
        metadata,
        scope,
        want,
        null,
        [`${where} has no Config aggregator named ${want.name}; create it with an organization source`],
        "",
      ),
    ];
  const problems: string[] = [];
  const src = agg.organizationSource;
  if (!src) {
    problems.push(
      `aggregator ${want.name} has no organization source (${agg.accountSources} account source${agg.accountSources === 1 ? "" : "s"}): accounts that join later are not aggregated`,
    );
  } else {
    if (src.roleArn !== want.roleArn)
      problems.push(`aggregator ${want.name} uses the role ${src.roleArn ?? "(none)"}, not ${want.roleArn}`);
    const missing = src.allRegions ? [] : want.regions.filter((r) => !src.regions.includes(r));
    if (missing.length > 0)
      problems.push(
        `aggregator ${want.name} does not aggregate the governed region${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`,
      );
  }
  if (agg.filters) problems.push(`aggregator ${want.name} narrows what it aggregates with filters ${agg.filters}`);
  if (failedSources.length > 0) problems.push(`aggregator ${want.name}: ${failedSourcesText(failedSources)}`);
  const regions = src?.allRegions ? "all regions" : want.regions.join(", ");
  return [
    verdict(
      metadata,
      scope,
      want,
      { ...agg, failedSources },
      problems,
      `Aggregator ${want.name} aggregates the organization (${regions}) with ${want.roleArn}; no source failed its last update.`,
    ),
  ];
}

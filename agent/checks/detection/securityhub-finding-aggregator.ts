/**
 * securityhub-finding-aggregator: the security account's finding aggregator (ListFindingAggregators,
 * GetFindingAggregator) aggregates into the home region with the intended linking mode and exactly
 * the other governed regions (SPECIFIED_REGIONS), or NO_REGIONS with a single governed region under
 * central configuration, which needs an aggregator even then. Under local configuration with a
 * single region infra lays none: NOT_APPLICABLE.
 */
import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { verdict, type CheckContext } from "../common";
import { listed, notApplicable, notPublished, readOf, securityHubIntentOf, securityScope } from "../securityhub-scope";

export const metadata: CheckMetadata = {
  id: "securityhub-finding-aggregator",
  title: "Security Hub aggregates the findings of every other governed region into the home region",
  area: "detection",
  severity: "MEDIUM",
  risk: "Without the aggregator, or with a governed region left unlinked, that region's findings are seen only in that region: the security account's home-region view, and the alerts fed from it, miss them. Central configuration also needs the aggregator: its policy reaches only the linked regions.",
  remediation: {
    console:
      "Security Hub console (security account <security-account>, home region <home-region>) → Settings → Regions: aggregation region <home-region>, link <securityhub-linked-regions> (Link future regions off).",
    cli: "aws securityhub list-finding-aggregators --region <home-region>; aws securityhub update-finding-aggregator --region <home-region> --finding-aggregator-arn \"$(aws securityhub list-finding-aggregators --region <home-region> --query 'FindingAggregators[0].FindingAggregatorArn' --output text)\" --region-linking-mode <securityhub-linking-mode> <securityhub-regions-option>  (none yet: aws securityhub create-finding-aggregator --region <home-region> --region-linking-mode <securityhub-linking-mode> <securityhub-regions-option>; security account)",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/detection/security-hub.ts lays aws.securityhub.FindingAggregator detection-securityhub-aggregator in the home region, from baseline/detection/security-hub.ts.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/securityhub/latest/userguide/finding-aggregation.html",
    "https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetFindingAggregator.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const home = intended.regions.home;
  const scope = securityScope(intended, home);
  const intent = securityHubIntentOf(intended);
  if (!intent) return [notPublished(metadata, scope)];
  const want = intent.aggregator;
  if (!want)
    return [
      notApplicable(
        metadata,
        scope,
        { configuration: "local", regions: intent.regions },
        `Security Hub is under local configuration with one governed region (${home}): there is no other region to aggregate, and infra lays no aggregator`,
      ),
    ];
  const read = readOf(metadata, observed, scope, want, "ListFindingAggregators", (sh) => sh.findingAggregators);
  if ("stop" in read) return [read.stop];
  const all = read.value;
  const agg = all.find((a) => a.aggregationRegion === home) ?? all[0];
  const problems: string[] = [];
  if (!agg)
    problems.push(
      `the security account has no finding aggregator${want.regions.length > 0 ? `, so the findings of ${listed(want.regions)} never reach ${home}` : ""}${intent.configuration === "central" ? "; central configuration needs one even with a single region" : ""}`,
    );
  else {
    if (agg.aggregationRegion !== home)
      problems.push(
        `the aggregator ${agg.arn} aggregates into ${agg.aggregationRegion ?? "no region"}, not the home region ${home}`,
      );
    if (agg.regionLinkingMode !== want.linkingMode)
      problems.push(`its RegionLinkingMode is ${agg.regionLinkingMode ?? "absent"}, not ${want.linkingMode}`);
    else {
      const have = agg.regions ?? [];
      const missing = want.regions.filter((r) => !have.includes(r));
      const extra = have.filter((r) => !want.regions.includes(r));
      if (missing.length > 0) problems.push(`it does not link ${listed(missing)}`);
      if (extra.length > 0)
        problems.push(
          `it links ${listed(extra)}, which ${extra.length === 1 ? "is" : "are"} not a linked governed region`,
        );
    }
    if (all.length > 1)
      problems.push(`the account has ${all.length} finding aggregators (${listed(all.map((a) => a.arn))}), not one`);
  }
  return [
    verdict(
      metadata,
      scope,
      want,
      all,
      problems,
      want.linkingMode === "NO_REGIONS"
        ? `The finding aggregator aggregates into ${home} with NO_REGIONS linked (one governed region, as central configuration needs).`
        : `The finding aggregator aggregates ${listed(want.regions)} into ${home} (SPECIFIED_REGIONS).`,
    ),
  ];
}

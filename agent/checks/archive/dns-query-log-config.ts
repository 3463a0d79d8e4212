/**
 * dns-query-log-config: in every governed region the log-archive account owns the baseline's
 * Route 53 Resolver query logging configuration, it delivers to the DNS query-log bucket, it is
 * CREATED (usable), and it is shared (ShareStatus SHARED_BY_ME), so member accounts can associate
 * their VPCs with it. What the shares holding it say (principal = the organization, no external
 * principals) is dns-query-log-share's.
 */
import { bucketArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedDnsQueryLogConfig, ObservedState } from "../../model";
import { blocked, finding, verdict, type CheckContext, type Scope } from "../common";
import { auditedRegions } from "../scope";
import { dnsConfigsRead, isFinding } from "../dns-scope";

export const metadata: CheckMetadata = {
  id: "dns-query-log-config",
  title: "Each governed region has the shared Resolver query logging configuration to the DNS query-log bucket",
  area: "archive",
  severity: "HIGH",
  risk: "Without the configuration, or when it delivers elsewhere, fails, or is no longer shared, the DNS queries of the organization's VPCs in that region go unrecorded (or land outside the archive account): a responder cannot see which names a compromised workload resolved.",
  remediation: {
    console:
      "Route 53 console (log-archive account, the region of the finding) → Resolver → Query logging: configure query logging named <dns-config-name>, destination the S3 bucket <dns-query-log-bucket>; then RAM console → Resource shares: share it with the organization <organization-arn> only (no external principals).",
    cli: "aws route53resolver create-resolver-query-log-config --name <dns-config-name> --destination-arn arn:aws:s3:::<dns-query-log-bucket> --creator-request-id <dns-config-name>-<region> --region <region>; aws ram create-resource-share --name <dns-config-name> --no-allow-external-principals --resource-arns <config-arn> --principals <organization-arn> --region <region>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/network/dns-query-logs.ts lays one configuration per governed region and its RAM share (network.dnsQueryLogs.enabled).",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs.html",
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverQueryLogConfig.html",
  ],
};

function problemsOf(configs: ObservedDnsQueryLogConfig[], name: string, destination: string, region: string): string[] {
  if (configs.length === 0)
    return [
      `the log-archive account has no Resolver query logging configuration named ${name} in ${region}, so no VPC of the region is logged to the archive`,
    ];
  if (configs.length > 1)
    return [
      `the log-archive account has ${configs.length} configurations named ${name} in ${region} (${configs.map((c) => c.id).join(", ")}); keep the one the stack lays and delete the others, so every account associates with the same one`,
    ];
  const c = configs[0];
  const out: string[] = [];
  if (c.destinationArn !== destination)
    out.push(`the configuration ${c.id} delivers to ${c.destinationArn || "nothing"}, not to ${destination}`);
  if (c.status !== "CREATED")
    out.push(`the configuration ${c.id} is ${c.status || "in no state"}, not CREATED, so it logs nothing`);
  if (c.shareStatus !== "SHARED_BY_ME")
    out.push(
      `the configuration ${c.id} is ${c.shareStatus || "not shared"} (not SHARED_BY_ME): member accounts cannot associate their VPCs with it; restore its RAM share with the organization`,
    );
  return out;
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const account = intended.organization.logArchiveAccountId;
  const regions = auditedRegions(observed, intended);
  const dns = intended.dnsQueryLogs;
  if (!dns)
    return [
      finding(
        metadata,
        { account, region: intended.regions.home, resourceArn: "arn:aws:route53resolver:*" },
        {
          status: "NOT_APPLICABLE",
          intended: "no Resolver query logging (network.dnsQueryLogs.enabled is false)",
          observed: null,
          message: `${metadata.title}: not applicable, the audit manifest names no Resolver query logging (the stack sets network.dnsQueryLogs.enabled to false).`,
        },
      ),
    ];
  const destination = bucketArn(dns.bucketName);
  const want = { name: dns.configName, destinationArn: destination, status: "CREATED", shareStatus: "SHARED_BY_ME" };
  return regions.map((region) => {
    const scope: Scope = {
      account,
      region,
      resourceArn: `arn:aws:route53resolver:${region}:${account}:resolver-query-log-config/*`,
    };
    const read = dnsConfigsRead(metadata, observed, dns.configName, region, scope, want);
    if (isFinding(read)) return read;
    const stop = blocked(metadata, observed, scope, want, read);
    if (stop) return stop;
    const configs = read.ok ? read.value : [];
    const one = configs.length === 1 ? configs[0] : undefined;
    return verdict(
      metadata,
      one ? { ...scope, resourceArn: one.arn } : scope,
      want,
      configs.map(({ id, destinationArn, status, shareStatus }) => ({ id, destinationArn, status, shareStatus })),
      problemsOf(configs, dns.configName, destination, region),
      `The configuration ${one?.id ?? dns.configName} in ${region} delivers to ${destination}, is CREATED and shared.`,
    );
  });
}

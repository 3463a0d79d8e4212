/**
 * dns-query-log-associations: every VPC of every audited account × governed region is associated
 * (ACTIVE) with the baseline's Route 53 Resolver query logging configuration of its region, the one
 * the log-archive account owns and shares with the organization (dns-query-log-config reads it
 * there). The member baseline's sweep (baseline/network/dns-vpc-association.ts) makes these
 * associations; ListResolverQueryLogConfigAssociations in the account shows them. One finding per
 * VPC; an account with no VPC in a region PASSes saying so. An association with another
 * configuration (the account's own) logs elsewhere and does not count.
 */
import { bucketArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedDnsQueryLogAssociation, ObservedState, ObservedVpc } from "../../model";
import { errorFinding, finding, type CheckContext, type Scope } from "../common";
import { evaluateCells, type DetectionCell } from "../scope";
import { vpcCellFindings } from "../vpc-scope";
import { dnsConfigsRead, isFinding } from "../dns-scope";

export const metadata: CheckMetadata = {
  id: "dns-query-log-associations",
  title: "Every VPC is associated with the organization's Resolver query logging configuration of its region",
  area: "detection",
  severity: "MEDIUM",
  risk: "A VPC that is not associated with the shared configuration has its DNS queries unrecorded in the archive: a responder cannot see which names a compromised workload resolved (command and control, exfiltration over DNS).",
  remediation: {
    console:
      "Route 53 console (the account, the region) → Resolver → Query logging → <dns-config-name> (shared by the log-archive account) → Add VPC: the VPC of the finding. Or run the member baseline's sweep: Systems Manager → State Manager → the association running the AssociateVpcsDnsQueryLogs document → Apply association now.",
    cli: "aws route53resolver associate-resolver-query-log-config --resolver-query-log-config-id <dns-config-id> --resource-id <vpc-id> --region <region>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: the member baseline (StackSet and direct stacks) lays the Automation document, the daily State Manager association and the CreateVpc rule that associate every VPC with the shared configuration (network.dnsQueryLogs.enabled).",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-managing.html",
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ListResolverQueryLogConfigAssociations.html",
  ],
};

/** The configuration ids of the region a VPC must be associated with, or the finding that stands for the cell. */
function baselineConfigIds(
  o: ObservedState,
  m: AuditManifest,
  dns: NonNullable<AuditManifest["dnsQueryLogs"]>,
  c: DetectionCell,
): string[] | Finding {
  const scope: Scope = {
    account: c.account,
    region: c.region,
    resourceArn: `arn:aws:route53resolver:${c.region}:${m.organization.logArchiveAccountId}:resolver-query-log-config/*`,
  };
  const intended = { configName: dns.configName, ownerId: m.organization.logArchiveAccountId };
  const read = dnsConfigsRead(metadata, o, dns.configName, c.region, scope, intended);
  if (isFinding(read)) return read;
  if (!read.ok) return errorFinding(metadata, scope, read.error, intended);
  // Those that deliver to the DNS query-log bucket; dns-query-log-config reports a second one, or one delivering elsewhere.
  return read.value.filter((x) => x.destinationArn === bucketArn(dns.bucketName)).map((x) => x.id);
}

function judgeVpc(
  vpc: ObservedVpc,
  all: ObservedDnsQueryLogAssociation[],
  configIds: string[],
  dns: NonNullable<AuditManifest["dnsQueryLogs"]>,
  scope: Scope,
): Finding {
  const intended = { configName: dns.configName, configIds, status: "ACTIVE" };
  const own = all.filter((a) => a.resourceId === vpc.vpcId);
  const observed = own.map((a) => ({
    id: a.id,
    configId: a.configId,
    status: a.status,
    error: a.error ?? null,
    errorMessage: a.errorMessage ?? null,
  }));
  const where = `VPC ${vpc.vpcId}${vpc.isDefault ? " (the default VPC)" : ""} of account ${scope.account} in ${scope.region}`;
  const ours = own.filter((a) => configIds.includes(a.configId));
  const active = ours.find((a) => a.status === "ACTIVE");
  if (active)
    return finding(metadata, scope, {
      status: "PASS",
      intended,
      observed,
      message: `${where} is associated (${active.id}, ACTIVE) with the shared configuration ${active.configId} (${dns.configName}).`,
    });
  let message: string;
  if (configIds.length === 0)
    message = `${where} cannot be logged to the archive: the log-archive account has no configuration ${dns.configName} delivering to ${bucketArn(dns.bucketName)} in ${scope.region} (see dns-query-log-config).`;
  else if (ours.length > 0)
    message = `${where} is associated with ${dns.configName} but not ACTIVE: ${ours.map((a) => `${a.id} is ${a.status || "in no state"}${a.error && a.error !== "NONE" ? ` (${a.error}${a.errorMessage ? `: ${a.errorMessage}` : ""})` : ""}`).join(", ")}.`;
  else if (own.length > 0)
    message = `${where} is associated only with ${own.map((a) => a.configId).join(", ")}, not with the shared configuration ${configIds.join(" or ")} (${dns.configName}): its DNS queries do not reach the archive.`;
  else
    message = `${where} is not associated with the shared configuration ${configIds.join(" or ")} (${dns.configName}): its DNS queries are not logged.`;
  return finding(metadata, scope, { status: "FAIL", intended, observed, message });
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const dns = intended.dnsQueryLogs;
  if (!dns)
    return [
      finding(
        metadata,
        { account: "-", region: "global", resourceArn: "arn:aws:route53resolver:*" },
        {
          status: "NOT_APPLICABLE",
          intended: "no Resolver query logging (network.dnsQueryLogs.enabled is false)",
          observed: null,
          message: `${metadata.title}: not applicable, the audit manifest names no Resolver query logging (the stack sets network.dnsQueryLogs.enabled to false).`,
        },
      ),
    ];
  const want = { configName: dns.configName, ownerId: intended.organization.logArchiveAccountId, status: "ACTIVE" };
  return evaluateCells(
    metadata,
    observed,
    intended,
    want,
    (c) => {
      const ids = baselineConfigIds(observed, intended, dns, c);
      if (!Array.isArray(ids)) return [ids];
      return vpcCellFindings(
        metadata,
        observed,
        c,
        want,
        (n) => n.dnsQueryLogAssociations,
        (vpc, all, scope) => judgeVpc(vpc, all, ids, dns, scope),
        "ListResolverQueryLogConfigAssociations",
      );
    },
    { memberBaseline: "its VPC association sweep" },
  );
}

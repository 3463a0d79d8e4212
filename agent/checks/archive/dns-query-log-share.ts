/**
 * dns-query-log-share: in every governed region, the RAM shares of the log-archive account that
 * hold the baseline's Resolver query logging configuration share it with the organization and no
 * one else. The baseline's share (named like the configuration, infra/network/dns-query-logs.ts)
 * must be ACTIVE, hold the organization ARN as a principal and refuse external principals; any
 * share that holds the configuration and admits a principal outside the organization (RAM's
 * `external`, another organization's ARN, or an account that is not a member) is CRITICAL: that
 * account could associate its VPCs and have their DNS queries written into the archive, or see
 * the configuration. dns-query-log-config says whether the configuration exists; this check judges
 * only where there is exactly one. One more finding, in the management account: RAM sharing with
 * AWS Organizations is on (ram.amazonaws.com has trusted access), without which a share with the
 * organization reaches no account.
 */
import { organizationArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedResourceShare, ObservedState } from "../../model";
import { blocked, errorFinding, finding, type CheckContext, type Scope } from "../common";
import { auditedRegions } from "../scope";
import { dnsConfigsRead, isFinding } from "../dns-scope";

/** The service principal whose trusted access EnableSharingWithAwsOrganization turns on. */
export const RAM_SERVICE_PRINCIPAL = "ram.amazonaws.com";

export const metadata: CheckMetadata = {
  id: "dns-query-log-share",
  title: "Each region's Resolver query logging configuration is shared through RAM with the organization only",
  area: "archive",
  severity: "HIGH",
  risk: "Without the organization as a principal, member accounts cannot associate their VPCs with the configuration and their DNS queries go unrecorded; a share that admits an outside account lets it write its own VPCs' queries into the organization's archive and see the configuration.",
  remediation: {
    console:
      "RAM console (log-archive account, the region of the finding) → Resource shares → <dns-config-name>: Principals → the organization <organization-arn> only, 'Allow sharing with anyone' off; remove the configuration from any other share that holds it. For RAM sharing with the organization: RAM console (management account) → Settings → Enable sharing with AWS Organizations.",
    cli: "aws ram get-resource-share-associations --association-type PRINCIPAL --resource-share-arns <share-arn> --region <region>; aws ram disassociate-resource-share --resource-share-arn <share-arn> --principals <principal> --region <region>; aws ram associate-resource-share --resource-share-arn <share-arn> --principals <organization-arn> --region <region>; aws ram update-resource-share --resource-share-arn <share-arn> --no-allow-external-principals --region <region>; in the management account, for RAM sharing with the organization: aws ram enable-sharing-with-aws-organization",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: infra/network/dns-query-logs.ts lays one share per governed region (allowExternalPrincipals false, the organization as its one principal); Pulumi does not remove a share it did not create, so delete another one with the CLI.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/ram/latest/userguide/working-with-sharing.html",
    "https://docs.aws.amazon.com/ram/latest/APIReference/API_GetResourceShareAssociations.html",
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-sharing.html",
    "https://docs.aws.amazon.com/ram/latest/userguide/getting-started-sharing.html#getting-started-sharing-orgs",
  ],
};

/** A principal outside the organization: RAM says so, or it names another organization, or an account that is not a member. */
function outsider(id: string, external: boolean | undefined, orgArn: string, members: string[] | undefined): boolean {
  if (external === true) return true;
  if (/^arn:aws[a-z-]*:organizations::\d{12}:organization\//.test(id)) return id !== orgArn;
  const orgId = orgArn.split("/").pop()!;
  if (/^arn:aws[a-z-]*:organizations::\d{12}:ou\//.test(id)) return !id.includes(`/${orgId}/`);
  const account = /^\d{12}$/.test(id) ? id : /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(id)?.[1];
  return account !== undefined && members !== undefined && !members.includes(account);
}

function judge(
  shares: ObservedResourceShare[],
  name: string,
  orgArn: string,
  members: string[] | undefined,
): { problems: string[]; critical: boolean } {
  const problems: string[] = [];
  let critical = false;
  for (const s of shares) {
    const out = s.principals.filter((p) => outsider(p.id, p.external, orgArn, members));
    if (out.length > 0) {
      critical = true;
      problems.push(
        `share ${s.name || s.arn} (${s.arn}) admits ${out.map((p) => p.id).join(", ")}, outside the organization`,
      );
    }
  }
  const own = shares.filter((s) => s.name === name);
  if (own.length === 0) {
    problems.push(
      shares.length === 0
        ? "no RAM share holds the configuration, so no member account can associate its VPCs with it"
        : `no share named ${name} holds the configuration (only ${shares.map((s) => s.name || s.arn).join(", ")})`,
    );
    return { problems, critical };
  }
  for (const s of own) {
    if (s.status !== "ACTIVE") problems.push(`share ${s.arn} is ${s.status}, not ACTIVE`);
    if (s.allowExternalPrincipals !== false)
      problems.push(
        `share ${s.arn} ${s.allowExternalPrincipals === true ? "allows" : "does not say whether it refuses"} principals outside the organization (allowExternalPrincipals ${s.allowExternalPrincipals ?? "not reported"})`,
      );
    if (!s.principals.some((p) => p.id === orgArn))
      problems.push(
        `share ${s.arn} does not have the organization ${orgArn} as a principal (it has ${s.principals.map((p) => p.id).join(", ") || "none"}), so accounts outside its principals cannot associate their VPCs`,
      );
  }
  return { problems, critical };
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const account = intended.organization.logArchiveAccountId;
  const dns = intended.dnsQueryLogs;
  if (!dns)
    return [
      finding(
        metadata,
        { account, region: intended.regions.home, resourceArn: "arn:aws:ram:*" },
        {
          status: "NOT_APPLICABLE",
          intended: "no Resolver query logging (network.dnsQueryLogs.enabled is false)",
          observed: null,
          message: `${metadata.title}: not applicable, the audit manifest names no Resolver query logging (the stack sets network.dnsQueryLogs.enabled to false).`,
        },
      ),
    ];
  const { configName } = dns;
  const orgArn = organizationArn(intended.organization);
  const members = observed.organization.accounts.ok ? observed.organization.accounts.value.map((a) => a.id) : undefined;
  const want = { shareName: configName, principals: [orgArn], allowExternalPrincipals: false, status: "ACTIVE" };
  return [...auditedRegions(observed, intended).map((region) => judgeRegion(region)), sharingWithOrganization()];

  /** RAM sharing with AWS Organizations (management account): without it a share's organization principal admits no one. */
  function sharingWithOrganization(): Finding {
    const mgmt = intended.organization.managementAccountId;
    const scope: Scope = { account: mgmt, region: "global", resourceArn: orgArn };
    const wantSharing = { enabledServicePrincipal: RAM_SERVICE_PRINCIPAL };
    const sp = observed.organization.enabledServicePrincipals;
    if (!sp)
      return errorFinding(
        metadata,
        scope,
        {
          name: "NotCollected",
          operation: "ListAWSServiceAccessForOrganization",
          message: "the observed state holds no reading of the organization's trusted services",
        },
        wantSharing,
      );
    const stop = blocked(metadata, observed, scope, wantSharing, sp);
    if (stop) return stop;
    const on = sp.ok && sp.value.includes(RAM_SERVICE_PRINCIPAL);
    return finding(metadata, scope, {
      status: on ? "PASS" : "FAIL",
      intended: wantSharing,
      observed: sp.ok ? sp.value : null,
      message: on
        ? `RAM sharing with AWS Organizations is enabled (${RAM_SERVICE_PRINCIPAL} has trusted access to ${orgArn}).`
        : `RAM sharing with AWS Organizations is off (${RAM_SERVICE_PRINCIPAL} has no trusted access to ${orgArn}): a share whose principal is the organization reaches no account, so no member can associate its VPCs with the query logging configurations. Enable it in the management account: aws ram enable-sharing-with-aws-organization.`,
    });
  }

  function judgeRegion(region: string): Finding {
    const scope: Scope = { account, region, resourceArn: `arn:aws:ram:${region}:${account}:resource-share/*` };
    const configs = dnsConfigsRead(metadata, observed, configName, region, scope, want);
    if (isFinding(configs)) return configs;
    const stop = blocked(metadata, observed, scope, want, configs);
    if (stop) return stop;
    if (!configs.ok || configs.value.length !== 1)
      return finding(metadata, scope, {
        status: "FAIL",
        intended: want,
        observed: null,
        message: `The share of the query logging configuration in ${region} cannot be judged: the log-archive account has ${configs.ok ? configs.value.length : 0} configurations named ${configName} there, not one (see dns-query-log-config).`,
      });
    const config = configs.value[0];
    const shares = observed.dnsQueryLogs?.sharesByRegion?.[region];
    if (!shares)
      return errorFinding(
        metadata,
        scope,
        {
          name: "NotCollected",
          operation: "GetResourceShareAssociations",
          message: `the observed state holds no reading of the RAM shares holding ${config.arn}`,
        },
        want,
      );
    const stopShares = blocked(metadata, observed, scope, want, shares);
    if (stopShares) return stopShares;
    const value = shares.ok ? shares.value : [];
    const { problems, critical } = judge(value, configName, orgArn, members);
    const own = value.find((s) => s.name === configName);
    return finding(metadata, own ? { ...scope, resourceArn: own.arn } : scope, {
      status: problems.length === 0 ? "PASS" : "FAIL",
      ...(critical ? { severity: "CRITICAL" as const } : {}),
      intended: want,
      observed: value.map((s) => ({
        arn: s.arn,
        name: s.name,
        status: s.status,
        allowExternalPrincipals: s.allowExternalPrincipals ?? null,
        principals: s.principals.map((p) => p.id),
      })),
      message:
        problems.length === 0
          ? `The configuration ${config.id} in ${region} is shared by ${own!.arn} (ACTIVE, no external principals) with the organization ${orgArn} only.`
          : `The configuration ${config.id} in ${region}: ${problems.join("; ")}.`,
    });
  }
}

import { securityHubArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { known, securityhubEnabled } from "../../../baseline/controls";
import { blocked, verdict, type CheckContext } from "../common";
import { evaluateCells, type DetectionCell } from "../scope";

export const metadata: CheckMetadata = {
  id: "securityhub-enabled",
  title: "Security Hub is enabled in every governed account and region",
  area: "detection",
  severity: "MEDIUM",
  risk: "Without Security Hub, findings from GuardDuty, Inspector and Config in that account and region never reach the security account's aggregated view.",
  remediation: {
    console:
      "Security Hub console (security account as delegated administrator) → Configuration → enable the account, or turn on auto-enable; in the account itself: Go to Security Hub → Enable.",
    cli: "aws securityhub enable-security-hub --region <region>  (or from the delegated administrator: aws securityhub update-organization-configuration --auto-enable)",
    pulumi:
      "The orgwarden stack enables Security Hub with aws.securityhub.Account and aws.securityhub.OrganizationConfiguration (autoEnable: true); run `pulumi up`.",
  },
  controls: ["securityhub-enabled"],
  references: ["https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html"],
};

function judge(o: ObservedState, c: DetectionCell): Finding {
  const scope = { account: c.account, region: c.region, resourceArn: securityHubArn(c.region, c.account) };
  const stop = blocked(metadata, o, scope, true, c.entry.securityHubEnabled);
  if (stop) return stop;
  const on = c.entry.securityHubEnabled.ok && c.entry.securityHubEnabled.value;
  const ok = securityhubEnabled.judge({ enabled: known(on) }).passed;
  return verdict(
    metadata,
    scope,
    true,
    on,
    ok ? [] : [`Security Hub is not enabled in account ${c.account} in ${c.region}; enable it`],
    `Security Hub is enabled in ${c.region}.`,
  );
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return evaluateCells(metadata, observed, intended, true, (c) => judge(observed, c));
}

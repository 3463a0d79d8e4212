/**
 * inspector-organization (every governed region): the security account is Amazon Inspector's one
 * delegated administrator, ENABLED (ListDelegatedAdminAccounts, management account), and as such its
 * organization configuration (DescribeOrganizationConfiguration) auto-enables every scan type the
 * manifest's inspector area intends (baseline/detection/inspector.ts inspectorAutoEnable, the map
 * infra lays), and the organization is not at Inspector's member account limit.
 *
 * A type auto-enabled that the baseline does not intend (or codeRepository, which it does not lay)
 * is no FAIL: it scans more, it weakens nothing; the finding names it, since the next `pulumi up`
 * turns it off again. inspector-enabled judges the scans each account has; this check judges what
 * makes a new account get them, and who may see them.
 */
import { accountRoot, type AuditManifest } from "../../../baseline";
import { known, inspectorScanning } from "../../../baseline/controls";
import {
  INSPECTOR_AUTO_ENABLE_KEYS,
  inspectorAutoEnable,
  type InspectorAutoEnableKey,
} from "../../../baseline/detection/inspector";
import type { CheckMetadata, Finding } from "../../finding";
import { failed, type ObservedInspectorRegion, type ObservedState } from "../../model";
import { errorFinding, verdict, type CheckContext } from "../common";
import { inspectorNotCollected, inspectorNotPublished } from "../inspector-scope";
import { auditedRegions } from "../scope";

export const metadata: CheckMetadata = {
  id: "inspector-organization",
  title:
    "Amazon Inspector is delegated to the security account and auto-enables the intended scan types for new accounts in every governed region",
  area: "detection",
  severity: "MEDIUM",
  risk: "With Inspector delegated to another account (or to none, or being removed), the security account no longer sees or manages the organization's vulnerability findings; with a scan type not auto-enabled, or the member account limit reached, accounts that join later are not scanned for it, unseen until inspector-enabled reports each one.",
  remediation: {
    console:
      "Amazon Inspector console, region <region>: in the management account → Settings → General → Delegated administrator: the security account <security-account>; then in the security account → Account management → Auto-enable: turn on <inspector-auto-enable>.",
    cli: "aws inspector2 enable-delegated-admin-account --delegated-admin-account-id <security-account> --region <region>  (management account); aws inspector2 update-organization-configuration --auto-enable <inspector-auto-enable> --region <region>  (security account)",
    pulumi:
      "infra/detection/inspector.ts lays aws.inspector2.DelegatedAdminAccount (detection-inspector-<region>-admin) and aws.inspector2.OrganizationConfiguration (detection-inspector-<region>-organization, autoEnable from detection.inspector.resourceTypes); run `pulumi up` on stack <stack>.",
  },
  controls: ["inspector-scanning"],
  references: [
    "https://docs.aws.amazon.com/inspector/latest/user/admin-member-relationship.html",
    "https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListDelegatedAdminAccounts.html",
    "https://docs.aws.amazon.com/inspector/v2/APIReference/API_DescribeOrganizationConfiguration.html",
    "https://docs.aws.amazon.com/inspector/v2/APIReference/API_AutoEnable.html",
  ],
};

const LABEL: Record<InspectorAutoEnableKey | "codeRepository", string> = {
  ec2: "EC2",
  ecr: "ECR",
  lambda: "Lambda",
  lambdaCode: "Lambda code",
  codeRepository: "code repository",
};

type Configuration = Extract<ObservedInspectorRegion["configuration"], { ok: true }>["value"];

function delegationProblems(admins: { accountId?: string; status?: string }[], security: string, region: string) {
  const own = admins.find((a) => a.accountId === security);
  const others = admins.filter((a) => a.accountId !== security);
  const problems: string[] = [];
  if (!own) problems.push(`the security account ${security} is not Inspector's delegated administrator in ${region}`);
  else if (own.status !== "ENABLED")
    problems.push(
      `the security account's delegation in ${region} is ${own.status ?? "in no status"}, not ENABLED${own.status === "DISABLE_IN_PROGRESS" ? " (it is being removed)" : ""}`,
    );
  for (const a of others)
    problems.push(
      `account ${a.accountId ?? "(no id)"} is Inspector's delegated administrator in ${region} (${a.status ?? "no status"}), not the security account`,
    );
  return problems;
}

function configurationProblems(c: Configuration, intended: Record<InspectorAutoEnableKey, boolean>, region: string) {
  const a = c.autoEnable ?? {};
  const required = INSPECTOR_AUTO_ENABLE_KEYS.filter(([, k]) => intended[k]).map(([, k]) => k);
  const scanTypes = known(
    Object.fromEntries(required.flatMap((k) => (a[k] === undefined ? [] : [[k, known(a[k] === true)]]))),
  );
  const gaps = inspectorScanning.judge({ scanTypes }, { required }).gaps;
  const problems = gaps.map(
    (g) =>
      `autoEnable.${g.field} is ${a[g.field as InspectorAutoEnableKey] === false ? "false" : "not set"} in ${region}: accounts that join later get no ${LABEL[g.field as InspectorAutoEnableKey]} scanning`,
  );
  if (c.maxAccountLimitReached === true)
    problems.push(
      `maxAccountLimitReached is true in ${region}: the organization has reached Inspector's limit of member accounts, so accounts beyond it are neither associated nor scanned`,
    );
  const extra = (Object.keys(LABEL) as (keyof typeof LABEL)[]).filter(
    (k) => a[k] === true && !(k !== "codeRepository" && intended[k]),
  );
  return { problems, extra };
}

function judge(o: ObservedState, m: AuditManifest, region: string): Finding {
  const security = m.organization.securityAccountId;
  const scope = { account: security, region, resourceArn: accountRoot(security) };
  const autoEnable = inspectorAutoEnable(m.inspector!.resourceTypes);
  const want = {
    delegatedAdmin: { accountId: security, status: "ENABLED" },
    autoEnable,
    maxAccountLimitReached: false,
  };
  const read = o.inspectorOrganization?.byRegion[region];
  if (!read) return errorFinding(metadata, scope, inspectorNotCollected(region, "ListDelegatedAdminAccounts"), want);
  // An account that could not be entered is a failed read of everything read there, whatever the state holds.
  const mgmtDown = o.unreachableAccounts[m.organization.managementAccountId];
  const securityDown = o.unreachableAccounts[security];
  const delegatedAdmins = mgmtDown ? failed<never>(mgmtDown) : read.delegatedAdmins;
  const configuration = securityDown ? failed<never>(securityDown) : read.configuration;
  if (!delegatedAdmins.ok) return errorFinding(metadata, scope, delegatedAdmins.error, want);
  const admins = delegatedAdmins.value;
  const delegation = delegationProblems(admins, security, region);
  if (!configuration.ok) {
    // The delegation alone is already a FAIL: a security account that is not the administrator cannot read the configuration.
    if (delegation.length === 0) return errorFinding(metadata, scope, configuration.error, want);
    const e = configuration.error;
    return verdict(
      metadata,
      scope,
      want,
      { delegatedAdmins: admins, configuration: { error: e.name } },
      [...delegation, `the organization configuration could not be read (${e.name} on ${e.operation})`],
      "",
    );
  }
  const c = configuration.value;
  const { problems, extra } = configurationProblems(c, autoEnable, region);
  const on = INSPECTOR_AUTO_ENABLE_KEYS.filter(([, k]) => autoEnable[k]).map(([, k]) => LABEL[k]);
  const also =
    extra.length === 0
      ? ""
      : ` It also auto-enables ${extra.map((k) => LABEL[k]).join(", ")}, which the baseline does not intend: the next \`pulumi up\` turns ${extra.length === 1 ? "it" : "them"} off.`;
  return verdict(
    metadata,
    scope,
    want,
    { delegatedAdmins: admins, configuration: c },
    [...delegation, ...problems],
    `The security account ${security} is Inspector's delegated administrator in ${region} and auto-enables ${on.join(", ")} for new accounts.${also}`,
  );
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  if (!intended.inspector) return [inspectorNotPublished(metadata, intended)];
  return auditedRegions(observed, intended).map((region) => judge(observed, intended, region));
}

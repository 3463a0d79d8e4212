import { accountRoot, ssmAssociationArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedSsmAssociation, ObservedState } from "../../model";
import { blocked, finding, type CheckContext } from "../common";
import { evaluateCells, type DetectionCell } from "../scope";

export const metadata: CheckMetadata = {
  id: "ssm-agent-associations",
  title: "State Manager keeps the SSM agent and the CloudWatch agent installed, and their last run succeeded",
  area: "detection",
  severity: "MEDIUM",
  risk: "Without these associations new instances run an outdated SSM agent (no Inspector EC2 scanning, no patching) and no CloudWatch agent (no instance logs or metrics for an investigation).",
  remediation: {
    console:
      "Systems Manager console (the account, the region) → State Manager → Create association: AWS-UpdateSSMAgent; AWS-ConfigureAWSPackage with package AmazonCloudWatchAgent; AmazonCloudWatch-ManageAgent with the agent configuration held in SSM Parameter Store; each targeting the baseline's instances. For a failed one, open it → Execution history.",
    cli: "aws ssm create-association --name AWS-UpdateSSMAgent --targets Key=InstanceIds,Values=* --schedule-expression 'rate(14 days)'; aws ssm create-association --name AWS-ConfigureAWSPackage --parameters action=Install,name=AmazonCloudWatchAgent --targets Key=InstanceIds,Values=*; aws ssm create-association --name AmazonCloudWatch-ManageAgent --parameters action=configure,mode=ec2,optionalConfigurationSource=ssm,optionalConfigurationLocation=<parameter name> --targets Key=InstanceIds,Values=*",
    pulumi:
      "The orgwarden stack deploys these as aws.ssm.Association resources (through its agents StackSet for member accounts); run `pulumi up`.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-automatic-updates.html",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/installing-cloudwatch-agent-ssm.html",
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/state-manager-associations-creating.html",
  ],
};

interface RequiredAssociation {
  role: string;
  documents: readonly string[];
  /** How the role is named in messages and the intended value. */
  describe: string;
  /** Narrows a document that serves many purposes (AWS-ConfigureAWSPackage installs any package). */
  matches?: (a: ObservedSsmAssociation) => boolean;
}

/** The three associations the member baseline deploys; AWS-ConfigureAWSPackage counts only when it installs the CloudWatch agent. */
export const REQUIRED_ASSOCIATIONS: readonly RequiredAssociation[] = [
  { role: "SSM agent update", documents: ["AWS-UpdateSSMAgent"], describe: "AWS-UpdateSSMAgent" },
  {
    role: "CloudWatch agent installation",
    documents: ["AWS-ConfigureAWSPackage"],
    describe: "AWS-ConfigureAWSPackage with name=AmazonCloudWatchAgent",
    matches: (a) => (a.parameters?.name ?? []).includes("AmazonCloudWatchAgent"),
  },
  {
    role: "CloudWatch agent configuration",
    documents: ["AmazonCloudWatch-ManageAgent"],
    describe: "AmazonCloudWatch-ManageAgent",
  },
];

/** The intended state as reports show it (plain data: the matchers stay out of the JSON). */
const INTENDED = REQUIRED_ASSOCIATIONS.map((r) => ({ role: r.role, document: r.describe, lastStatus: "Success" }));

function judgeRole(c: DetectionCell, all: ObservedSsmAssociation[], role: RequiredAssociation): Finding {
  const found = all.filter((a) => role.documents.includes(a.name) && (role.matches?.(a) ?? true));
  const ok = found.find((a) => a.status === "Success");
  const base = { account: c.account, region: c.region };
  const scope = {
    ...base,
    resourceArn: found[0]
      ? ssmAssociationArn(c.region, c.account, (ok ?? found[0]).associationId)
      : accountRoot(c.account),
  };
  const want = { document: role.describe, lastStatus: "Success" };
  const have = found.map((a) => ({
    name: a.name,
    associationId: a.associationId,
    status: a.status ?? null,
    lastExecutionDate: a.lastExecutionDate ?? null,
  }));
  if (ok)
    return finding(metadata, scope, {
      status: "PASS",
      intended: want,
      observed: have,
      message: `${role.role} association ${ok.associationId} (${ok.name}) last ran successfully in ${c.region}.`,
    });
  const message =
    found.length === 0
      ? `Account ${c.account} has no ${role.role} association (${role.describe}) in ${c.region}; create it in State Manager.`
      : `${role.role} association ${found.map((a) => `${a.associationId} (${a.name}) is ${a.status ?? "without a status"}`).join(", ")} in ${c.region}, not Success; read its execution history and fix the failing instances.`;
  return finding(metadata, scope, { status: "FAIL", intended: want, observed: have, message });
}

function judge(o: ObservedState, c: DetectionCell): Finding[] {
  const stop = blocked(
    metadata,
    o,
    { account: c.account, region: c.region, resourceArn: accountRoot(c.account) },
    INTENDED,
    c.entry.ssmAssociations,
  );
  if (stop) return [stop];
  const all = c.entry.ssmAssociations.ok ? c.entry.ssmAssociations.value : [];
  return REQUIRED_ASSOCIATIONS.map((r) => judgeRole(c, all, r));
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return evaluateCells(metadata, observed, intended, INTENDED, (c) => judge(observed, c), {
    memberBaseline: "its SSM agent associations",
  });
}

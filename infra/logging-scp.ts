import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertScpSize, PolicyDocument, ScpPart, securityBaselineScps } from "../baseline";
import { PROJECT } from "./config-keys";
import { roleArn } from "../baseline/arns";
import { wildcardMatches } from "../baseline/wildcard";
import { scpName } from "./naming";
import { requireProvider } from "./providers";

export interface LoggingScpArgs {
  /** Principal ARN patterns the SCPs never apply to. */
  exemptPrincipalArns: string[];
  /** Buckets whose configuration the SCP freezes (names known from config, so the size check runs at preview). */
  protectedBucketNames: string[];
  /** Of those, the buckets without Object Lock whose objects nobody may delete (access logs, Config). */
  objectProtectedBucketNames: string[];
  /** Prefix of the member baseline's EventBridge forwarding rules. */
  forwardingRuleNamePrefix: string;
  /** The audit manifest's SSM parameter name. */
  manifestParameterName: string;
  /** Roles the member baseline lays in every account. */
  baselineRoleNames: string[];
  /** The member-baseline StackSet (and direct stacks) name. */
  stackSetName: string;
  /** The member baseline's other rules (the DNS association's CreateVpc rule). Default: none. */
  automationRuleNames?: string[];
  /** The member baseline's Automation documents (DNS association, flow-log remediation). Default: none. */
  automationDocumentNames?: string[];
  /** Root, OU or account the SCPs are attached to (the organization root). */
  targetId: pulumi.Input<string>;
  /** Resources that must exist first (the organization with SCPs enabled). */
  waitFor?: pulumi.Resource[];
}

export interface ScpResource {
  part: ScpPart;
  /** Policy name in Organizations. */
  name: string;
  document: PolicyDocument;
  /** Minified content, as submitted and measured. */
  content: string;
  policy: aws.organizations.Policy;
  attachment: aws.organizations.PolicyAttachment;
  policyId: pulumi.Output<string>;
}

const DESCRIPTIONS: Record<ScpPart, string> = {
  logging: "orgwarden: nobody but the exempt principals may switch off, redirect or delete security logging",
  detection:
    "orgwarden: nobody but the exempt principals may disable or blind GuardDuty, Security Hub, Inspector or the audit manifest",
  identity:
    "orgwarden: nobody but the exempt principals may change the exempt and baseline roles or the baseline stacks",
};

/** A StackSets execution role as service-managed StackSets create it in a member account (path /). */
const SAMPLE_STACKSET_ROLE = roleArn("123456789012", "stacksets-exec-0123456789abcdef0123456789abcdef");

/**
 * The SCPs deny config:PutConfigurationRecorder and the stack, role and rule changes the StackSet
 * itself makes in member accounts, so its execution role must be exempt.
 */
export function scpExemptionProblems(exempt: string[]): string[] {
  if (exempt.some((p) => wildcardMatches(p, SAMPLE_STACKSET_ROLE))) return [];
  return [
    `${PROJECT}:scp.exemptPrincipalArns must exempt the StackSets execution role (add arn:aws:iam::*:role/stacksets-exec-*), ` +
      "or the member baseline StackSet can no longer lay or update Config, roles and rules in member accounts",
  ];
}

/**
 * The security-baseline SCPs (baseline/scp.ts), each attached to the root. The documents are built
 * and measured in the constructor, from plain values: an oversized SCP fails the preview, not the
 * deploy. The first keeps the resource names it always had, so its URN does not change.
 */
export class LoggingScp extends pulumi.ComponentResource {
  public readonly scps: ScpResource[];
  /** The first SCP ("protect security logging"). */
  public readonly policy: aws.organizations.Policy;
  public readonly attachment: aws.organizations.PolicyAttachment;
  public readonly document: PolicyDocument;
  public readonly policyId: pulumi.Output<string>;

  constructor(name: string, args: LoggingScpArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:scp:LoggingScp", name, opts);
    super("orgwarden:scp:LoggingScp", name, {}, opts);
    const docs = securityBaselineScps(args);
    this.scps = docs.map(({ part, document }) => {
      const policyName = scpName(part);
      const content = assertScpSize(policyName, document);
      const prefix = part === "logging" ? name : `${name}-${part}`;
      const policy = new aws.organizations.Policy(
        `${prefix}-policy`,
        { name: policyName, description: DESCRIPTIONS[part], type: "SERVICE_CONTROL_POLICY", content },
        { parent: this, dependsOn: args.waitFor ?? [] },
      );
      const attachment = new aws.organizations.PolicyAttachment(
        `${prefix}-attachment`,
        { policyId: policy.id, targetId: args.targetId },
        { parent: this },
      );
      return { part, name: policyName, document, content, policy, attachment, policyId: policy.id };
    });
    const first = this.scps[0];
    this.policy = first.policy;
    this.attachment = first.attachment;
    this.document = first.document;
    this.policyId = first.policyId;
    this.registerOutputs({ policyId: this.policyId, policyIds: this.scps.map((s) => s.policyId) });
  }
}

import { arn, bucketArn, eventRuleArn, parseArn, PARTITION, roleArn, ssmParameterArn } from "./arns";
import { manifestPartName } from "./manifest-codec";
import { minify, policy, PolicyDocument, Statement } from "./policy-types";
import {
  ASSOCIATION_TAMPER_ACTIONS,
  BUCKET_TAMPER_ACTIONS,
  CONFIG_TAMPER_ACTIONS,
  DETECTION_DISABLE_ACTIONS,
  DNS_QUERY_LOG_TAMPER_ACTIONS,
  DOCUMENT_TAMPER_ACTIONS,
  FINDING_SUPPRESS_ACTIONS,
  KEY_TAMPER_ACTIONS,
  OBJECT_DELETE_ACTIONS,
  PARAMETER_TAMPER_ACTIONS,
  ROLE_TAMPER_ACTIONS,
  RULE_TAMPER_ACTIONS,
  STACK_TAMPER_ACTIONS,
  TRAIL_TAMPER_ACTIONS,
} from "./scp-actions";

export * from "./scp-actions";

/** AWS Organizations' hard limit on an SCP document, counted on what is submitted (we submit minified JSON). */
export const SCP_MAX_CHARS = 5120;
/** AWS Organizations' limit on SCPs attached directly to one root, OU or account. */
export const SCP_MAX_PER_TARGET = 5;

/**
 * What each security-baseline SCP must leave room for: this many exemption patterns of this length
 * (an SSO permission-set role pattern such as arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*
 * /AWSReservedSSO_Admin_* is about 80 characters). test/baseline/scp.test.ts proves every part fits.
 */
export const SCP_EXEMPTION_BUDGET = { patterns: 10, chars: 80 } as const;

/** Tag that marks a KMS key as part of the logging baseline; the SCP protects keys carrying it. */
export const PROTECT_TAG_KEY = "orgwarden:protected";
export const PROTECT_TAG_VALUE = "true";

/**
 * The protections are split across several SCPs so each keeps room for a real exemption list:
 * AWS allows 5 SCPs attached directly to a target and FullAWSAccess takes one, so these three
 * leave one slot free for the organization's own policy.
 */
export const SCP_PARTS = ["logging", "detection", "identity"] as const;
export type ScpPart = (typeof SCP_PARTS)[number];

export interface LoggingScpInput {
  /** Principals (ARN patterns, wildcards allowed) that the SCPs never apply to: break-glass, deployment and StackSet execution roles. */
  exemptPrincipalArns: string[];
  /** Buckets whose configuration must not change: the CloudTrail archive, its access-log bucket, the Config bucket. */
  protectedBucketNames: string[];
  /** Buckets without Object Lock whose objects nobody may delete (lifecycle expiry is not a principal's request): access logs and Config. */
  objectProtectedBucketNames: string[];
}

export interface SecurityScpsInput extends LoggingScpInput {
  /** The member baseline's EventBridge rules are named <this><suffix> (baseline/detection/stackset-template.ts). */
  forwardingRuleNamePrefix: string;
  /** The audit manifest's SSM parameter name, with its leading slash (infra/naming.ts). */
  manifestParameterName: string;
  /** Roles the member baseline lays in every account (audit read role, event forwarder), at path /. */
  baselineRoleNames: string[];
  /** The member-baseline StackSet; the direct stacks (accounts it cannot reach) carry the same name. */
  stackSetName: string;
  /**
   * Other EventBridge rules the member baseline lays in every account (the DNS association's
   * CreateVpc rule), protected with the forwarding rules. Default: none.
   */
  automationRuleNames?: string[];
  /** SSM Automation documents the member baseline lays in every account (DNS association, flow-log remediation). Default: none. */
  automationDocumentNames?: string[];
}

export interface NamedScp {
  part: ScpPart;
  document: PolicyDocument;
}

function exemptCondition(exempt: string[]) {
  return { ArnNotLike: { "aws:PrincipalArn": [...exempt] } };
}

/** Role ARN patterns in the exemption list (users and wildcards on other types are left out of the role statements). */
function exemptRoleResources(exempt: string[]): string[] {
  return exempt.filter((a) => {
    const p = parseArn(a);
    return p?.partition === PARTITION && p.service === "iam" && p.region === "" && p.resource.startsWith("role/");
  });
}

/**
 * ARN matching lets "*" span "/", so arn:aws:iam::*:role/stacksets-exec-* also matches a role at path
 * /stacksets-exec-x/. Real exempt roles sit at path / (the StackSets execution role is created as
 * stacksets-exec-<id>, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-custom-execution-role.html),
 * so a "/" after the wildcarded name segment marks a look-alike. A pattern whose name segment is
 * only "*" exempts a whole path on purpose and gets no look-alike pattern.
 */
export function pathLookalikePatterns(exempt: string[]): string[] {
  return exemptRoleResources(exempt)
    .filter((p) => {
      const name = p.slice(p.lastIndexOf("/") + 1);
      return /[*?]/.test(name) && name !== "*";
    })
    .map((p) => `${p}/*`);
}

function validate(input: LoggingScpInput): void {
  if (input.exemptPrincipalArns.length === 0) {
    throw new Error(
      "loggingProtectionScp: exemptPrincipalArns must name at least one break-glass or deployment principal",
    );
  }
  if (input.protectedBucketNames.length === 0) {
    throw new Error("loggingProtectionScp: protectedBucketNames must name at least the archive bucket");
  }
  const stray = input.objectProtectedBucketNames.filter((b) => !input.protectedBucketNames.includes(b));
  if (stray.length > 0)
    throw new Error(
      `loggingProtectionScp: objectProtectedBucketNames ${stray.join(", ")} must also be in protectedBucketNames`,
    );
}

/**
 * Each exemption condition is repeated per statement and is most of an SCP's size, so statements
 * group actions by resource rather than by concern: one Deny on "*" per SCP, one per resource set.
 * Actions of one service never match another service's ARNs, so a grouped statement means exactly
 * what the separate ones would.
 */

/** SCP 1, "protect security logging": trails, Config, leaving the organization, the log buckets, the protected keys and agent associations. */
export function loggingProtectionScp(input: LoggingScpInput): PolicyDocument {
  validate(input);
  const cond = exemptCondition(input.exemptPrincipalArns);
  const objects = input.objectProtectedBucketNames.map((b) => `${bucketArn(b)}/*`);
  return policy([
    {
      // Leaving the organization takes the account out of the organization trail and the Config aggregator.
      Sid: "DenyLoggingTampering",
      Effect: "Deny",
      Action: [...TRAIL_TAMPER_ACTIONS, ...CONFIG_TAMPER_ACTIONS, "organizations:LeaveOrganization"],
      Resource: "*",
      Condition: cond,
    },
    {
      Sid: "DenyLogBucketTampering",
      Effect: "Deny",
      Action: objects.length > 0 ? [...BUCKET_TAMPER_ACTIONS, ...OBJECT_DELETE_ACTIONS] : BUCKET_TAMPER_ACTIONS,
      Resource: [...input.protectedBucketNames.map(bucketArn), ...objects],
      Condition: cond,
    },
    {
      // Resources tagged orgwarden:protected=true: the log key (security account), the Config key
      // (log-archive account) and the member baseline's SSM associations. The trail log group's key
      // carries the tag too but lives in the management account, which no SCP binds. Tag changes are
      // denied on a tagged resource altogether, so nobody removes or overwrites the tag to walk out of
      // this statement. KMS actions only ever match keys and SSM actions SSM resources. The shared
      // Resolver query logging configurations and their RAM shares (log-archive account) carry it too.
      Sid: "DenyTaggedResourceTampering",
      Effect: "Deny",
      Action: [
        ...KEY_TAMPER_ACTIONS,
        "kms:UntagResource",
        "kms:TagResource",
        ...ASSOCIATION_TAMPER_ACTIONS,
        ...DNS_QUERY_LOG_TAMPER_ACTIONS,
      ],
      Resource: "*",
      Condition: { ...cond, StringEquals: { [`aws:ResourceTag/${PROTECT_TAG_KEY}`]: PROTECT_TAG_VALUE } },
    },
  ]);
}

/**
 * The member baseline's rules and Automation documents in one statement: a statement of its own
 * would repeat the exemption condition, most of an SCP's size (SCP_EXEMPTION_BUDGET). EventBridge
 * actions only match rule ARNs and SSM document actions only document ARNs, so this means exactly
 * what two statements would. (Until the
 * network automation, this statement was DenyForwardingRuleTampering.)
 */
function baselineRulesStatement(input: SecurityScpsInput, cond: ReturnType<typeof exemptCondition>): Statement {
  const rules = [
    eventRuleArn("*", "*", `${input.forwardingRuleNamePrefix}*`),
    ...(input.automationRuleNames ?? []).map((n) => eventRuleArn("*", "*", n)),
  ];
  const documents = (input.automationDocumentNames ?? []).map((n) => arn(PARTITION, "ssm", "*", "*", `document/${n}`));
  return {
    Sid: "DenyBaselineRuleAndDocumentTampering",
    Effect: "Deny",
    Action: documents.length > 0 ? [...RULE_TAMPER_ACTIONS, ...DOCUMENT_TAMPER_ACTIONS] : RULE_TAMPER_ACTIONS,
    Resource: rules.length + documents.length === 1 ? rules[0] : [...rules, ...documents],
    Condition: cond,
  };
}

/** SCP 2, "protect security detection": detectors, findings, the member baseline's rules and documents, and the audit manifest. */
export function detectionProtectionScp(input: SecurityScpsInput): PolicyDocument {
  validate(input);
  const cond = exemptCondition(input.exemptPrincipalArns);
  return policy([
    {
      Sid: "DenyDetectionTampering",
      Effect: "Deny",
      Action: [...DETECTION_DISABLE_ACTIONS, ...FINDING_SUPPRESS_ACTIONS],
      Resource: "*",
      Condition: cond,
    },
    baselineRulesStatement(input, cond),
    {
      // Account "*": the security account's id is not known at preview in create mode; the name is unique to orgwarden.
      // The head and its parts (<head>/part-<i>, baseline/manifest-codec.ts): one pattern for the parts keeps the SCP
      // small whatever MANIFEST_PARTS is, and matches only below the head, never a sibling such as <head>-old.
      Sid: "DenyManifestTampering",
      Effect: "Deny",
      Action: PARAMETER_TAMPER_ACTIONS,
      Resource: [
        ssmParameterArn("*", "*", input.manifestParameterName),
        ssmParameterArn("*", "*", manifestPartName(input.manifestParameterName, "*")),
      ],
      Condition: cond,
    },
  ]);
}

/** SCP 3, "protect security identities": the exempt and baseline roles, look-alikes of exempt roles, the baseline stacks. */
export function identityProtectionScp(input: SecurityScpsInput): PolicyDocument {
  validate(input);
  const cond = exemptCondition(input.exemptPrincipalArns);
  const roles = [
    ...exemptRoleResources(input.exemptPrincipalArns),
    ...input.baselineRoleNames.map((n) => roleArn("*", n)),
  ];
  const n = input.stackSetName;
  const statements: Statement[] = [];
  if (roles.length > 0) {
    // CreateRole's resource is arn:aws:iam::<acct>:role/<path><name>: denying it stops same-name and path
    // look-alikes of exempt roles, and squatting on a baseline role's name before the StackSet creates it.
    statements.push({
      Sid: "DenyProtectedRoleTampering",
      Effect: "Deny",
      Action: [...ROLE_TAMPER_ACTIONS, "iam:CreateRole"],
      Resource: roles,
      Condition: cond,
    });
  }
  const lookalikes = pathLookalikePatterns(input.exemptPrincipalArns);
  if (lookalikes.length > 0) {
    // No exemption: a role matching one of these is never a real exempt role (see pathLookalikePatterns).
    statements.push({
      Sid: "DenyPathLookalikeRoles",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": lookalikes } },
    });
  }
  statements.push({
    Sid: "DenyBaselineStackTampering",
    Effect: "Deny",
    Action: STACK_TAMPER_ACTIONS,
    Resource: [
      arn(PARTITION, "cloudformation", "*", "*", `stack/StackSet-${n}-*`),
      arn(PARTITION, "cloudformation", "*", "*", `stack/${n}/*`),
      arn(PARTITION, "cloudformation", "*", "*", `stackset/${n}:*`),
    ],
    Condition: cond,
  });
  return policy(statements);
}

/** Every security-baseline SCP, in attachment order; the first is the historical "protect security logging" SCP. */
export function securityBaselineScps(input: SecurityScpsInput): NamedScp[] {
  return [
    { part: "logging", document: loggingProtectionScp(input) },
    { part: "detection", document: detectionProtectionScp(input) },
    { part: "identity", document: identityProtectionScp(input) },
  ];
}

export class ScpTooLargeError extends Error {
  constructor(
    readonly policyName: string,
    readonly size: number,
  ) {
    super(
      `SCP "${policyName}" is ${size} characters minified; AWS Organizations allows at most ${SCP_MAX_CHARS}. ` +
        `Shorten orgwarden:scp.exemptPrincipalArns (use wildcards such as arn:aws:iam::*:role/break-glass-*) or protect fewer buckets.`,
    );
    this.name = "ScpTooLargeError";
  }
}

/** Returns the minified document, or throws ScpTooLargeError naming the policy and its size. */
export function assertScpSize(policyName: string, doc: PolicyDocument): string {
  const text = minify(doc);
  if (text.length > SCP_MAX_CHARS) throw new ScpTooLargeError(policyName, text.length);
  return text;
}

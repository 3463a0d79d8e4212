/**
 * The two roles the member baseline lays in every account it reaches (home region; IAM is global):
 * the audit read role and the event forwarder role, written once. The member template
 * (stackset-template.ts) lays them from `memberRoleDocuments`, and the audit rebuilds the same
 * documents per account from the manifest's inputs (`memberRolesInputOf`), so there is no second copy
 * of either. The manifest's `roles.perAccount` carries only the digest of what these functions build
 * (a release check, as the detectionPipeline area's), never the documents.
 */
import { createHash } from "node:crypto";
import { eventBusArn } from "../arns";
import type { AuditManifest } from "../manifest";
import { policy, type PolicyDocument } from "../policy-types";
import { canonicalJson, centralBusName, eventForwarderRoleName } from "./alert-pipeline";
import { auditRoleExtraPolicy, auditRoleTrustPolicy, SECURITY_AUDIT_POLICY_ARN } from "./documents";

export const AUDIT_EXTRA_READ_POLICY_NAME = "audit-extra-read";
export const EVENT_FORWARDER_POLICY_NAME = "put-events-central-bus";
/** The read role's MaxSessionDuration (seconds): an audit run's credentials live at most an hour. */
export const AUDIT_READ_ROLE_MAX_SESSION_SECONDS = 3600;
/** Stands for "each account" in the template (CloudFormation resolves it) and in the digest. */
export const EACH_ACCOUNT = "${AWS::AccountId}";

export interface MemberRolesInput {
  orgId: string;
  securityAccountId: string;
  /** audit.readRoleName */
  auditReadRoleName: string;
  /** audit.agentRoleName: the only principal the read role trusts. */
  auditAgentRoleName: string;
  /** detection.namePrefix: names the forwarder role and what the read role's extra policy may read. */
  namePrefix: string;
  /** The central bus in the security account (home region): the forwarder role's only target. */
  centralBusArn: string;
}

export type MemberRoleName = "audit-read-role" | "event-forwarder-role";

/** One role as laid in one account: the shape of a manifest `roles.shared` entry, plus the read role's session limit. */
export interface MemberRoleIntent {
  name: MemberRoleName;
  purpose: string;
  account: string;
  roleName: string;
  trustPolicy: PolicyDocument;
  inlinePolicies: Record<string, PolicyDocument>;
  managedPolicyArns: string[];
  /** MaxSessionDuration in seconds, where the template sets one. */
  maxSessionDuration?: number;
}

/** EventBridge may assume the forwarder role only for rules of the account itself (`sourceAccount`). */
function forwarderTrust(sourceAccount: unknown) {
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Effect: "Allow" as const,
        Principal: { Service: "events.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } },
      },
    ],
  };
}

/** The forwarder role's trust as the template lays it: CloudFormation resolves the account of each stack. */
export const EVENT_FORWARDER_TRUST_TEMPLATE = forwarderTrust({ Ref: "AWS::AccountId" });

export function eventForwarderTrustPolicy(accountId: string): PolicyDocument {
  return forwarderTrust(accountId) as PolicyDocument;
}

export function eventForwarderPolicy(centralBusArn: string): PolicyDocument {
  return policy([{ Effect: "Allow", Action: "events:PutEvents", Resource: centralBusArn }]);
}

/** Both roles as laid in `account` (EACH_ACCOUNT: as the digest and the template's placeholder stand for any). */
export function memberRoles(i: MemberRolesInput, account: string): MemberRoleIntent[] {
  return [
    {
      name: "audit-read-role",
      purpose: "the audit read role",
      account,
      roleName: i.auditReadRoleName,
      trustPolicy: auditRoleTrustPolicy({
        securityAccountId: i.securityAccountId,
        agentRoleName: i.auditAgentRoleName,
        orgId: i.orgId,
      }),
      inlinePolicies: { [AUDIT_EXTRA_READ_POLICY_NAME]: auditRoleExtraPolicy(i.namePrefix, i.auditReadRoleName) },
      managedPolicyArns: [SECURITY_AUDIT_POLICY_ARN],
      maxSessionDuration: AUDIT_READ_ROLE_MAX_SESSION_SECONDS,
    },
    {
      name: "event-forwarder-role",
      purpose: "the event forwarder role",
      account,
      roleName: eventForwarderRoleName(i.namePrefix),
      trustPolicy: eventForwarderTrustPolicy(account),
      inlinePolicies: { [EVENT_FORWARDER_POLICY_NAME]: eventForwarderPolicy(i.centralBusArn) },
      managedPolicyArns: [],
    },
  ];
}

/** The first 16 hex digits of the SHA-256 of both roles' documents for "each account": the manifest's `roles.perAccount.digest`. */
export function memberRolesDigest(i: MemberRolesInput): string {
  return createHash("sha256")
    .update(canonicalJson(memberRoles(i, EACH_ACCOUNT)), "utf8")
    .digest("hex")
    .slice(0, 16);
}

/**
 * The inputs, from the manifest: the organization's ids, `audit.readRoleName` and the
 * detectionPipeline area's namePrefix and agent role (the central bus is named from them).
 * Undefined without a detectionPipeline area (the schema requires one beside `roles.perAccount`).
 */
export function memberRolesInputOf(m: AuditManifest): MemberRolesInput | undefined {
  const p = m.detectionPipeline;
  if (!p) return undefined;
  const security = m.organization.securityAccountId;
  return {
    orgId: m.organization.id,
    securityAccountId: security,
    auditReadRoleName: m.audit.readRoleName,
    auditAgentRoleName: p.agentRoleName,
    namePrefix: p.namePrefix,
    centralBusArn: eventBusArn(m.regions.home, security, centralBusName(p.namePrefix)),
  };
}

/**
 * The member-baseline StackSet as infra lays it and the audit reads it: its name (the plain stacks
 * in the accounts it cannot reach carry the same one), the manifest's `stackSet` area, the ARNs the
 * read role may describe, and the status and drift values CloudFormation reports.
 */
import { z } from "zod";
import { ACCOUNT_ID } from "./arns";
import type { Statement } from "./policy-types";

/** The member-baseline StackSet, and the direct stacks in the accounts it cannot reach, carry this name. */
export function memberBaselineName(namePrefix: string): string {
  return `${namePrefix}-member-baseline`;
}

/** Where a governed StackSet's stack instances are held to: at most this old a drift check, by default. */
export const DEFAULT_STACKSET_DRIFT_MAX_AGE_HOURS = 48;
/** 30 days: a drift check older than that says nothing about today's stacks. */
export const MAX_STACKSET_DRIFT_MAX_AGE_HOURS = 720;

const accountId = z.string().regex(ACCOUNT_ID, "must be a 12-digit AWS account id");
const ouId = z.string().regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, "must be an OU id");

/**
 * The manifest's `stackSet` area (management account, home region, CallAs SELF: infra registers no
 * StackSets delegated administrator). Absent in a manifest published before it: the stackset-*
 * checks are then ERROR, saying to republish, never a PASS on a StackSet the manifest does not name.
 * The audit manifest parameter is within bytes of SSM's 8 KB (docs/athena.md), so what has a
 * usual value is absent when it has it and stays absent after parsing (no zod default): read the
 * area through stackSetTargets().
 */
export const stackSetManifestSchema = z.strictObject({
  /** The StackSet's name, and the name of the plain stacks in the management account and `directAccounts`. */
  name: z.string().regex(/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/, "must be a StackSet name (letters, digits, hyphens)"),
  /** The OUs it deploys to (service-managed: every account below them, nested OUs included). */
  targetOuIds: z.array(ouId).min(1),
  /** Accounts of those OUs it must not reach (stackSet.excludeAccounts, accountFilterType DIFFERENCE). Absent: none. */
  excludeAccounts: z.array(accountId).min(1).optional(),
  /**
   * Accounts besides the management account (which a StackSet never reaches and which always gets
   * them) that get the template as plain stacks: the log-archive and security accounts when their OU
   * is not targeted. Absent: none.
   */
  directAccounts: z.array(accountId).min(1).optional(),
  /** audit.stackSetDriftMaxAgeHours: an older last drift check is drift unknown (FAIL). Absent: 48. */
  driftMaxAgeHours: z
    .number()
    .int()
    .min(1, "must be at least 1")
    .max(MAX_STACKSET_DRIFT_MAX_AGE_HOURS, `must be at most ${MAX_STACKSET_DRIFT_MAX_AGE_HOURS} (30 days)`)
    .optional(),
});
export type StackSetIntent = z.infer<typeof stackSetManifestSchema>;

/** The area with its usual values filled in: what the checks judge by. */
export interface StackSetTargets {
  name: string;
  targetOuIds: string[];
  excludeAccounts: string[];
  /** Every account with direct stacks, the management account first. */
  directAccounts: string[];
  driftMaxAgeHours: number;
}

export function stackSetTargets(s: StackSetIntent, managementAccountId: string): StackSetTargets {
  return {
    name: s.name,
    targetOuIds: s.targetOuIds,
    excludeAccounts: s.excludeAccounts ?? [],
    directAccounts: [managementAccountId, ...(s.directAccounts ?? []).filter((a) => a !== managementAccountId)],
    driftMaxAgeHours: s.driftMaxAgeHours ?? DEFAULT_STACKSET_DRIFT_MAX_AGE_HOURS,
  };
}

/** The StackSet as a finding names it (the live ARN ends in a StackSet id that a re-creation changes). */
export function stackSetArn(region: string, account: string, name: string): string {
  return `arn:aws:cloudformation:${region}:${account}:stackset/${name}`;
}

/** A direct stack as a finding names it (without the stack id, for the same reason). */
export function baselineStackArn(region: string, account: string, name: string): string {
  return `arn:aws:cloudformation:${region}:${account}:stack/${name}`;
}

/** The CloudFormation reads the stackset-* checks make, each on the baseline's own StackSet or stacks. */
export const STACKSET_READ_ACTIONS = [
  "cloudformation:DescribeStackSet",
  "cloudformation:ListStackInstances",
  "cloudformation:DescribeStacks",
] as const;

/**
 * The read role's grant for those reads, on exactly the baseline's StackSet (any region and
 * account: the role is one template in every account, the StackSet lives in the management
 * account) and its direct stacks; not on any other StackSet or stack. Resource types from the
 * Service Authorization Reference (AWS CloudFormation): stackset `…:stackset/<name>:<id>`, stack
 * `…:stack/<name>/<id>`.
 */
export function stackSetReadStatement(namePrefix: string): Statement {
  const name = memberBaselineName(namePrefix);
  return {
    Sid: "MemberBaselineStackRead",
    Effect: "Allow",
    Action: [...STACKSET_READ_ACTIONS],
    Resource: [`arn:aws:cloudformation:*:*:stackset/${name}:*`, `arn:aws:cloudformation:*:*:stack/${name}/*`],
  };
}

/** Stack instance Status values (StackInstanceSummary.Status) and DetailedStatus values that are healthy. */
export const HEALTHY_INSTANCE_STATUS = "CURRENT";
export const HEALTHY_DETAILED_STATUS = "SUCCEEDED";

/** A stack's StackStatus that says the last create or update finished (the rest is failed, rolled back or in flight). */
export const COMPLETE_STACK_STATUSES = ["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"] as const;

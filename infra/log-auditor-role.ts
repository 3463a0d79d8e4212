import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logAuditorPolicy, logAuditorTrustPolicy, minify } from "../baseline";
import type { LaidRole } from "./laid-key";
import { requireProvider } from "./providers";

export interface LogAuditorRoleArgs {
  /** Name of the role (config audit.logAuditorRoleName); the key and archive bucket policies name it. */
  roleName: string;
  /** The security account, which owns the role, the log key and the agent. */
  securityAccountId: pulumi.Input<string>;
  orgId: pulumi.Input<string>;
  /** Role the scheduled audit agent runs as: the only principal that may assume this one. */
  agentRoleName: string;
  archiveBucketName: string;
  /** The CloudTrail log key. */
  keyArn: pulumi.Input<string>;
  trailArn: string;
  /** Region of the archive bucket and the key (the home region). */
  region: string;
}

/**
 * The log auditor role in the security account: the principal the nightly integrity check
 * validates the digest chain as. It may list and read the trail's objects in the archive, decrypt
 * log files through S3 (the key policy's AuditorDecrypt names it), and list CloudTrail's public
 * keys; only the agent's Lambda role may assume it. The audit read role is never widened instead.
 */
export class LogAuditorRole extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly policy: aws.iam.RolePolicy;
  public readonly roleArn: pulumi.Output<string>;
  /** The role as laid, for the audit manifest's `roles`. */
  public readonly laidRole: LaidRole;

  constructor(name: string, args: LogAuditorRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:audit:LogAuditorRole", name, opts);
    super("orgwarden:audit:LogAuditorRole", name, {}, opts);
    const trustPolicy = pulumi
      .all([args.securityAccountId, args.orgId])
      .apply(([securityAccountId, orgId]) =>
        logAuditorTrustPolicy({ securityAccountId, orgId, agentRoleName: args.agentRoleName }),
      );
    const permissions = pulumi.all([args.orgId, args.keyArn]).apply(([orgId, keyArn]) =>
      logAuditorPolicy({
        archiveBucketName: args.archiveBucketName,
        orgId,
        keyArn,
        trailArn: args.trailArn,
        region: args.region,
      }),
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: "orgwarden: validates the CloudTrail digest chain (assumed by the audit agent only)",
        assumeRolePolicy: trustPolicy.apply(minify),
      },
      { parent: this },
    );
    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: this.role.name, name: "orgwarden-log-auditor", policy: permissions.apply(minify) },
      { parent: this },
    );
    this.laidRole = {
      name: "log-auditor-role",
      purpose: "the log auditor role",
      account: args.securityAccountId,
      roleName: args.roleName,
      trustPolicy,
      inlinePolicies: { "orgwarden-log-auditor": permissions },
      managedPolicyArns: [],
    };
    // The manifest publishes the ARN once the role can be used: a run must not find the role without its permissions.
    this.roleArn = pulumi.all([this.role.arn, this.policy.id]).apply(([arn]) => arn);
    this.registerOutputs({ roleArn: this.roleArn });
  }
}

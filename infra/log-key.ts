import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logKeyPolicy, minify } from "../baseline";
import { customerKey } from "./customer-key";
import { requireProvider } from "./providers";

export interface LogKeyArgs {
  /** The security account, which owns the key. */
  securityAccountId: pulumi.Input<string>;
  managementAccountId: string;
  /** ARN of the organization trail (computed from config, so there is no cycle with the trail). */
  trailArn: string;
  /** Roles in the security account administering the key; must include the role pulumi deploys with. */
  adminRoleNames: string[];
  /** Roles in the security account allowed to decrypt CloudTrail logs. */
  auditorRoleNames: string[];
  /** Roles the audit agent reads the key with. Default: none. */
  auditReadRoleNames?: string[];
  /** The Athena log analyst role(s) and the archive's region (athena.enabled): Decrypt through S3 there only. */
  analyst?: { roleNames: string[]; region: string };
  /** Alias, e.g. alias/orgwarden-cloudtrail. */
  aliasName: string;
  /** Pending-deletion window. Default 30 (the maximum). */
  deletionWindowInDays?: number;
}

/** The CloudTrail log key, in the security account: encrypters and decrypters are different principals. */
export class LogKey extends pulumi.ComponentResource {
  public readonly key: aws.kms.Key;
  public readonly alias: aws.kms.Alias;
  public readonly keyArn: pulumi.Output<string>;
  /** The exact policy document given to the key, for the audit manifest. */
  public readonly policyDocument: pulumi.Output<ReturnType<typeof logKeyPolicy>>;

  constructor(name: string, args: LogKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:kms:LogKey", name, opts);
    super("orgwarden:kms:LogKey", name, {}, opts);
    this.policyDocument = pulumi.output(args.securityAccountId).apply((securityAccountId) =>
      logKeyPolicy({
        securityAccountId,
        managementAccountId: args.managementAccountId,
        trailArn: args.trailArn,
        adminRoleNames: args.adminRoleNames,
        auditorRoleNames: args.auditorRoleNames,
        auditReadRoleNames: args.auditReadRoleNames ?? [],
        ...(args.analyst ? { analyst: args.analyst } : {}),
      }),
    );
    ({ key: this.key, alias: this.alias } = customerKey(this, {
      names: { key: `${name}-key`, alias: `${name}-alias` },
      description: "orgwarden: encrypts the organization CloudTrail logs",
      deletionWindowInDays: args.deletionWindowInDays,
      policy: this.policyDocument.apply(minify),
      aliasName: args.aliasName,
      // The SCP's key statement keys off the protect tag; it is what makes the key tamper-proof for member-account admins.
      symmetricAndTagged: true,
    }));
    this.keyArn = this.key.arn;
    this.registerOutputs({ keyArn: this.keyArn, aliasName: args.aliasName });
  }
}

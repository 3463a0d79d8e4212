import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  cloudTrailLogsRolePolicy,
  cloudTrailLogsTrustPolicy,
  intendedTrailSelectors,
  minify,
  trailArn,
} from "../baseline";
import { requireProvider } from "./providers";

export interface OrgTrailArgs {
  /** Trail name; together with homeRegion and managementAccountId it fixes the trail ARN the policies name. */
  trailName: string;
  /** The ARN computed from config; checked against what the name implies so the policies can never name another trail. */
  trailArn: string;
  homeRegion: string;
  managementAccountId: string;
  archiveBucketName: pulumi.Input<string>;
  /** Buckets excluded from S3 data events: logging the log buckets' own writes would feed back into themselves. */
  logBucketNames: string[];
  /** ARN of the log key (security account). */
  keyArn: pulumi.Input<string>;
  logGroupName: string;
  logGroupRetentionDays: number;
  /** Customer KMS key of the log group (management account, home region); its inline policy admits CloudWatch Logs. */
  logGroupKey: aws.kms.Key;
  /** Log S3 object data events. Default false. */
  s3DataEvents?: boolean;
  /** Log Lambda invoke data events. Default false. */
  lambdaDataEvents?: boolean;
  /**
   * Resources that must exist before CloudTrail validates its destinations on creation: the
   * bucket policy, the key (with its policy) and the organization's trusted access.
   */
  waitFor: pulumi.Resource[];
}

/** The baseline's intended selectors (baseline/event-selectors.ts) in the provider's shape. */
export function trailEventSelectors(
  a: Pick<OrgTrailArgs, "s3DataEvents" | "lambdaDataEvents" | "logBucketNames">,
): aws.types.input.cloudtrail.TrailAdvancedEventSelector[] {
  return intendedTrailSelectors(a).map((s) => ({
    name: s.name,
    fieldSelectors: s.fieldSelectors.map((f) => ({
      field: f.field,
      ...(f.equals ? { equals: [...f.equals] } : {}),
      ...(f.startsWith ? { startsWiths: [...f.startsWith] } : {}),
      ...(f.endsWith ? { endsWiths: [...f.endsWith] } : {}),
      ...(f.notEquals ? { notEquals: [...f.notEquals] } : {}),
      ...(f.notStartsWith ? { notStartsWiths: [...f.notStartsWith] } : {}),
      ...(f.notEndsWith ? { notEndsWiths: [...f.notEndsWith] } : {}),
    })),
  }));
}

/** The organization trail (management account), delivering to the archive and to a CloudWatch Logs group. */
export class OrgTrail extends pulumi.ComponentResource {
  public readonly trail: aws.cloudtrail.Trail;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly role: aws.iam.Role;
  public readonly trailArn: pulumi.Output<string>;

  constructor(name: string, args: OrgTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:cloudtrail:OrgTrail", name, opts);
    super("orgwarden:cloudtrail:OrgTrail", name, {}, opts);
    const expected = trailArn(args.homeRegion, args.managementAccountId, args.trailName);
    if (args.trailArn !== expected)
      throw new Error(
        `OrgTrail "${name}": trailArn ${args.trailArn} does not match the trail it creates (${expected})`,
      );
    const docInput = {
      trailArn: args.trailArn,
      managementAccountId: args.managementAccountId,
      homeRegion: args.homeRegion,
      logGroupName: args.logGroupName,
    };

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-log-group`,
      // Deletion protection: the log group lives in the management account, which no SCP binds.
      {
        name: args.logGroupName,
        retentionInDays: args.logGroupRetentionDays,
        deletionProtectionEnabled: true,
        kmsKeyId: args.logGroupKey.arn,
      },
      // CloudWatch Logs refuses a key whose policy does not admit it yet; the policy is part of the key resource.
      { parent: this, protect: true, dependsOn: [args.logGroupKey] },
    );
    this.role = new aws.iam.Role(
      `${name}-logs-role`,
      {
        name: `${args.trailName}-cloudwatch-logs`,
        description: "CloudTrail delivers the organization trail to CloudWatch Logs with this role",
        assumeRolePolicy: minify(cloudTrailLogsTrustPolicy(docInput)),
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-logs-role-policy`,
      {
        role: this.role.name,
        name: "cloudtrail-to-cloudwatch-logs",
        policy: minify(cloudTrailLogsRolePolicy(docInput)),
      },
      { parent: this },
    );
    this.trail = new aws.cloudtrail.Trail(
      `${name}-trail`,
      {
        name: args.trailName,
        isOrganizationTrail: true,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        kmsKeyId: args.keyArn,
        s3BucketName: args.archiveBucketName,
        cloudWatchLogsGroupArn: pulumi.interpolate`${this.logGroup.arn}:*`,
        cloudWatchLogsRoleArn: this.role.arn,
        advancedEventSelectors: trailEventSelectors(args),
      },
      { parent: this, protect: true, dependsOn: [...args.waitFor, rolePolicy, this.logGroup] },
    );
    this.trailArn = this.trail.arn;
    this.registerOutputs({ trailArn: this.trailArn });
  }
}

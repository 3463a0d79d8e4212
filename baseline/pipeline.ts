/**
 * The detection pipeline's names and intended settings (AWS Config delivery channel and
 * organization aggregator), written once: infra lays them from these functions and the audit
 * manifest's `pipeline` area publishes the same values, so the agent judges exactly what was laid.
 */
import type { PolicyDocument } from "./policy-types";
import { z } from "zod";
import { roleArn } from "./arns";
import type { ConfigDeliveryFrequency } from "./detection/stackset-template";

export const CONFIG_DELIVERY_FREQUENCIES = [
  "One_Hour",
  "Three_Hours",
  "Six_Hours",
  "Twelve_Hours",
  "TwentyFour_Hours",
] as const satisfies readonly ConfigDeliveryFrequency[];

/**
 * What AWS Config applies when a channel names no snapshot frequency
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigSnapshotDeliveryProperties.html).
 */
export const CONFIG_DEFAULT_DELIVERY_FREQUENCY: ConfigDeliveryFrequency = "TwentyFour_Hours";

export interface ConfigDeliveryChannelSpec {
  name: string;
  s3BucketName: string;
  /** Absent: objects go under the bucket's root (AWSLogs/<account>/Config/…), which the bucket policy admits. */
  s3KeyPrefix?: string;
  s3KmsKeyArn: string;
  deliveryFrequency: ConfigDeliveryFrequency;
}

/** The member template's delivery channel (one per account × region, named as the recorder). */
export function configDeliveryChannelSpec(i: {
  namePrefix: string;
  bucketName: string;
  kmsKeyArn: string;
  deliveryFrequency: ConfigDeliveryFrequency;
}): ConfigDeliveryChannelSpec {
  return {
    name: i.namePrefix,
    s3BucketName: i.bucketName,
    s3KmsKeyArn: i.kmsKeyArn,
    deliveryFrequency: i.deliveryFrequency,
  };
}

export function configAggregatorName(namePrefix: string): string {
  return `${namePrefix}-organization`;
}

export function configAggregatorRoleName(namePrefix: string): string {
  return `${namePrefix}-config-aggregator`;
}

/**
 * The organization aggregator's role trust: AWS Config assumes it to list the organization's
 * accounts (https://docs.aws.amazon.com/config/latest/developerguide/set-up-aggregator-cli.html#add-an-aggregator-organization-cli).
 */
export function configAggregatorRoleTrust(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
}

export interface ConfigAggregatorSpec {
  name: string;
  /** Where it lives: the security account (Config's delegated administrator), home region. */
  accountId: string;
  region: string;
  roleArn: string;
  allRegions: boolean;
  regions: string[];
}

/** The organization aggregator infra/detection/config-aggregator.ts lays. */
export function configAggregatorSpec(i: {
  namePrefix: string;
  securityAccountId: string;
  homeRegion: string;
  regions: string[];
}): ConfigAggregatorSpec {
  return {
    name: configAggregatorName(i.namePrefix),
    accountId: i.securityAccountId,
    region: i.homeRegion,
    roleArn: roleArn(i.securityAccountId, configAggregatorRoleName(i.namePrefix)),
    allRegions: false,
    regions: [...i.regions],
  };
}

const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as us-east-1");
const arn = z.string().regex(/^arn:aws[a-z-]*:/, "must be an ARN");

/**
 * The manifest's `pipeline` area. Optional, so that manifests published before it parse; the
 * checks that need it then say NOT_APPLICABLE with that reason, never PASS.
 */
export const pipelineManifestSchema = z.strictObject({
  config: z
    .strictObject({
      deliveryChannel: z.strictObject({
        name: z.string().min(1),
        s3BucketName: z.string().min(3),
        s3KeyPrefix: z.string().min(1).optional(),
        s3KmsKeyArn: arn,
        deliveryFrequency: z.enum(CONFIG_DELIVERY_FREQUENCIES),
      }),
      aggregator: z.strictObject({
        name: z.string().min(1),
        accountId,
        region,
        roleArn: arn,
        allRegions: z.boolean(),
        regions: z.array(region),
      }),
    })
    .optional(),
});

export type PipelineManifest = z.infer<typeof pipelineManifestSchema>;

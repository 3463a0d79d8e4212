/** The plain facts the controls judge. Each side builds them from its own world; no field is guessed. */
import type { Fact } from "./types";

/** Which KMS key a reference names, as the side that knows the intended key resolved it. */
export type KeyMatch = { same: true } | { same: false; reason: string };

/** An S3 bucket's public access block; all four absent = no block configured. */
export interface PublicAccessFacts {
  blockPublicAcls: Fact<boolean>;
  ignorePublicAcls: Fact<boolean>;
  blockPublicPolicy: Fact<boolean>;
  restrictPublicBuckets: Fact<boolean>;
}

/** One default-encryption rule of a bucket; `algorithm` absent = no default encryption configured. */
export interface EncryptionFacts {
  algorithm: Fact<string>;
  kmsKeyId: Fact<string>;
  /** Absent when the judging side holds no intended key (the pack at preview). */
  intendedKey: Fact<KeyMatch>;
}

export interface VersioningFacts {
  /** Enabled | Suspended; absent = never enabled. */
  status: Fact<string>;
}

export interface ObjectLockFacts {
  enabled: Fact<boolean>;
  /** Absent = no default retention rule at all. */
  defaultRetention: Fact<{ mode: Fact<string>; days: Fact<number>; years: Fact<number> }>;
}

/** A CloudTrail trail's settings. */
export interface TrailFacts {
  isMultiRegionTrail: Fact<boolean>;
  includeGlobalServiceEvents: Fact<boolean>;
  isLogging: Fact<boolean>;
  logFileValidation: Fact<boolean>;
  isOrganizationTrail: Fact<boolean>;
  kmsKeyId: Fact<string>;
  intendedKey: Fact<KeyMatch>;
  cloudWatchLogsGroupArn: Fact<string>;
  cloudWatchLogsRoleArn: Fact<string>;
}

/** Whether a trail's event selectors record each intended data-event type (judged by baseline/event-selectors.ts). */
export interface SelectorFacts {
  s3DataEvents: Fact<boolean>;
  lambdaDataEvents: Fact<boolean>;
}

export interface KeyRotationFacts {
  /** Absent = KMS's default, SYMMETRIC_DEFAULT. */
  keySpec: Fact<string>;
  /** Absent = KMS's default, ENCRYPT_DECRYPT. */
  keyUsage: Fact<string>;
  rotationEnabled: Fact<boolean>;
  /** Absent = KMS's default period (365 days). */
  rotationPeriodDays: Fact<number>;
}

export interface LogGroupFacts {
  /** Absent or 0 = never expire. */
  retentionDays: Fact<number>;
  kmsKeyId: Fact<string>;
}

/** One Config recorder's recording group. */
export interface RecorderFacts {
  allSupported: Fact<boolean>;
}

/** One account's recorders: the regions whose recorder includes global resource types (IAM). */
export interface GlobalRecordingFacts {
  regionsRecordingGlobal: Fact<string[]>;
}

export interface ServiceEnabledFacts {
  enabled: Fact<boolean>;
}

/** Inspector scan types by key (ec2, ecr, lambda, lambdaCode). */
export interface InspectorFacts {
  scanTypes: Fact<Record<string, Fact<boolean>>>;
}

/** Whether a bucket's policy holds a Deny of s3:* to every principal when aws:SecureTransport is false; absent = no policy. */
export interface TlsOnlyFacts {
  deniesInsecureTransport: Fact<boolean>;
}

/** Each control over its facts, table-driven: one passing row and one change per failing row, with the exact gaps. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as C from "../../../baseline/controls";
import { ABSENT, type Control, type Gap, known, UNKNOWN } from "../../../baseline/controls";

const T = known(true);
const F = known(false);
const KEY = "arn:aws:kms:us-east-1:222222222222:key/11111111-2222-3333-4444-555555555555";

// Parameter types differ per control; a row carries its own.
type Row = [string, Control<any, any>, unknown, unknown, Gap[]];

const PAB = { blockPublicAcls: T, ignorePublicAcls: T, blockPublicPolicy: T, restrictPublicBuckets: T };
const ENC = { algorithm: known("aws:kms"), kmsKeyId: known(KEY), intendedKey: ABSENT };
const LOCK = { enabled: T, defaultRetention: known({ mode: known("COMPLIANCE"), days: known(365), years: ABSENT }) };
const LOCK_P = { allowedModes: ["COMPLIANCE"], minRetentionDays: 365 };
const ROT = { keySpec: ABSENT, keyUsage: ABSENT, rotationEnabled: T, rotationPeriodDays: ABSENT };
const GROUP = "arn:aws:logs:us-east-1:111111111111:log-group:/org/cloudtrail";

const ROWS: Row[] = [
  ["public access: all four on", C.s3PublicAccessBlock, PAB, undefined, []],
  [
    "public access: one off, one unknown",
    C.s3PublicAccessBlock,
    { ...PAB, ignorePublicAcls: F, restrictPublicBuckets: UNKNOWN },
    undefined,
    [
      { field: "ignorePublicAcls", expected: "true", found: F },
      { field: "restrictPublicBuckets", expected: "true", found: UNKNOWN },
    ],
  ],
  [
    "public access: no block (S3 blocks nothing)",
    C.s3PublicAccessBlock,
    { blockPublicAcls: ABSENT, ignorePublicAcls: ABSENT, blockPublicPolicy: ABSENT, restrictPublicBuckets: ABSENT },
    undefined,
    C.PUBLIC_ACCESS_FLAGS.map((field) => ({ field, expected: "true", found: ABSENT })),
  ],
  ["encryption: SSE-KMS, customer key", C.s3DefaultEncryption, ENC, { allowSseS3: false }, []],
  [
    "encryption: DSSE-KMS",
    C.s3DefaultEncryption,
    { ...ENC, algorithm: known("aws:kms:dsse") },
    { allowSseS3: false },
    [],
  ],
  [
    "encryption: SSE-S3 allowed",
    C.s3DefaultEncryption,
    { ...ENC, algorithm: known("AES256"), kmsKeyId: ABSENT },
    { allowSseS3: true },
    [],
  ],
  [
    "encryption: SSE-S3 refused",
    C.s3DefaultEncryption,
    { ...ENC, algorithm: known("AES256") },
    { allowSseS3: false },
    [{ field: "algorithm", expected: "aws:kms or aws:kms:dsse", found: known("AES256"), reason: "not-kms" }],
  ],
  [
    "encryption: none",
    C.s3DefaultEncryption,
    { ...ENC, algorithm: ABSENT },
    { allowSseS3: true },
    [{ field: "algorithm", expected: "aws:kms or aws:kms:dsse", found: ABSENT, reason: "not-configured" }],
  ],
  [
    "encryption: unknown algorithm",
    C.s3DefaultEncryption,
    { ...ENC, algorithm: UNKNOWN },
    { allowSseS3: false },
    [{ field: "algorithm", expected: "aws:kms or aws:kms:dsse", found: UNKNOWN }],
  ],
  [
    "encryption: unknown key counts as set",
    C.s3DefaultEncryption,
    { ...ENC, kmsKeyId: UNKNOWN },
    { allowSseS3: false },
    [],
  ],
  [
    "encryption: no key",
    C.s3DefaultEncryption,
    { ...ENC, kmsKeyId: ABSENT },
    { allowSseS3: false },
    [{ field: "kmsKeyId", expected: "a customer managed KMS key", found: ABSENT, reason: "missing" }],
  ],
  [
    "encryption: aws/s3",
    C.s3DefaultEncryption,
    { ...ENC, kmsKeyId: known("alias/aws/s3") },
    { allowSseS3: false },
    [
      {
        field: "kmsKeyId",
        expected: "a customer managed KMS key",
        found: known("alias/aws/s3"),
        reason: "aws-managed-key",
      },
    ],
  ],
  [
    "encryption: another key than intended",
    C.s3DefaultEncryption,
    { ...ENC, intendedKey: known({ same: false, reason: "x" }) },
    { allowSseS3: false },
    [{ field: "kmsKeyId", expected: "the intended key", found: known(KEY), reason: "not-intended-key" }],
  ],
  ["versioning: Enabled", C.s3Versioning, { status: known("Enabled") }, undefined, []],
  [
    "versioning: Suspended",
    C.s3Versioning,
    { status: known("Suspended") },
    undefined,
    [{ field: "status", expected: "Enabled", found: known("Suspended") }],
  ],
  [
    "versioning: never enabled",
    C.s3Versioning,
    { status: ABSENT },
    undefined,
    [{ field: "status", expected: "Enabled", found: ABSENT }],
  ],
  ["object lock: as intended", C.s3ObjectLock, LOCK, LOCK_P, []],
  [
    "object lock: a year is 365 days",
    C.s3ObjectLock,
    { enabled: T, defaultRetention: known({ mode: known("COMPLIANCE"), days: ABSENT, years: known(1) }) },
    LOCK_P,
    [],
  ],
  [
    "object lock: off, GOVERNANCE, 30 days",
    C.s3ObjectLock,
    { enabled: F, defaultRetention: known({ mode: known("GOVERNANCE"), days: known(30), years: ABSENT }) },
    LOCK_P,
    [
      { field: "enabled", expected: "true", found: F },
      { field: "mode", expected: "COMPLIANCE", found: known("GOVERNANCE") },
      { field: "retentionDays", expected: "≥ 365 days", found: known(30), reason: "below-minimum" },
    ],
  ],
  [
    "object lock: no retention rule",
    C.s3ObjectLock,
    { enabled: T, defaultRetention: ABSENT },
    LOCK_P,
    [{ field: "defaultRetention", expected: "mode COMPLIANCE, at least 365 days", found: ABSENT }],
  ],
  [
    "object lock: no period",
    C.s3ObjectLock,
    { enabled: T, defaultRetention: known({ mode: known("COMPLIANCE"), days: ABSENT, years: ABSENT }) },
    LOCK_P,
    [{ field: "retentionDays", expected: "≥ 365 days", found: ABSENT }],
  ],
  [
    "object lock: unknown days",
    C.s3ObjectLock,
    { enabled: T, defaultRetention: known({ mode: UNKNOWN, days: UNKNOWN, years: ABSENT }) },
    LOCK_P,
    [
      { field: "mode", expected: "COMPLIANCE", found: UNKNOWN },
      { field: "retentionDays", expected: "≥ 365 days", found: UNKNOWN },
    ],
  ],
  ["multi-region: on", C.cloudtrailMultiRegion, { isMultiRegionTrail: T }, undefined, []],
  [
    "multi-region: unset is single-region",
    C.cloudtrailMultiRegion,
    { isMultiRegionTrail: ABSENT },
    undefined,
    [{ field: "isMultiRegionTrail", expected: "true", found: ABSENT }],
  ],
  [
    "global events: unset is on",
    C.cloudtrailGlobalServiceEvents,
    { includeGlobalServiceEvents: ABSENT },
    undefined,
    [],
  ],
  [
    "global events: off",
    C.cloudtrailGlobalServiceEvents,
    { includeGlobalServiceEvents: F },
    undefined,
    [{ field: "includeGlobalServiceEvents", expected: "true", found: F }],
  ],
  ["logging: unset is on", C.cloudtrailLogging, { isLogging: ABSENT }, undefined, []],
  [
    "logging: unknown",
    C.cloudtrailLogging,
    { isLogging: UNKNOWN },
    undefined,
    [{ field: "isLogging", expected: "true", found: UNKNOWN }],
  ],
  [
    "log file validation: unset is off",
    C.cloudtrailLogFileValidation,
    { logFileValidation: ABSENT },
    undefined,
    [{ field: "logFileValidation", expected: "true", found: ABSENT }],
  ],
  [
    "organization trail: off",
    C.cloudtrailOrganizationTrail,
    { isOrganizationTrail: F },
    undefined,
    [{ field: "isOrganizationTrail", expected: "true", found: F }],
  ],
  [
    "trail key: intended",
    C.cloudtrailKmsEncryption,
    { kmsKeyId: known(KEY), intendedKey: known({ same: true }) },
    undefined,
    [],
  ],
  [
    "trail key: none",
    C.cloudtrailKmsEncryption,
    { kmsKeyId: ABSENT, intendedKey: ABSENT },
    undefined,
    [{ field: "kmsKeyId", expected: "a customer managed KMS key", found: ABSENT, reason: "missing" }],
  ],
  [
    "CloudWatch Logs: unknown references count as set",
    C.cloudtrailCloudwatchLogs,
    { cloudWatchLogsGroupArn: UNKNOWN, cloudWatchLogsRoleArn: UNKNOWN },
    {},
    [],
  ],
  [
    "CloudWatch Logs: the intended group (the :* suffix aside)",
    C.cloudtrailCloudwatchLogs,
    { cloudWatchLogsGroupArn: known(`${GROUP}:*`), cloudWatchLogsRoleArn: known("r") },
    { intendedLogGroupArn: GROUP },
    [],
  ],
  [
    "CloudWatch Logs: another group, no role",
    C.cloudtrailCloudwatchLogs,
    { cloudWatchLogsGroupArn: known("g:*"), cloudWatchLogsRoleArn: ABSENT },
    { intendedLogGroupArn: GROUP },
    [
      { field: "cloudWatchLogsGroupArn", expected: GROUP, found: known("g:*"), reason: "not-intended" },
      { field: "cloudWatchLogsRoleArn", expected: "a role CloudTrail can assume", found: ABSENT, reason: "missing" },
    ],
  ],
  [
    "management events: every one recorded",
    C.cloudtrailManagementEvents,
    { selectors: known([{ fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] }]) },
    undefined,
    [],
  ],
  [
    "management events: KMS excluded next to eventCategory = Management",
    C.cloudtrailManagementEvents,
    {
      selectors: known([
        {
          fieldSelectors: [
            { field: "eventCategory", equals: ["Management"] },
            { field: "eventSource", notEquals: ["kms.amazonaws.com"] },
          ],
        },
      ]),
    },
    undefined,
    [
      {
        field: "selectors",
        expected: "every management event",
        found: known([
          {
            fieldSelectors: [
              { field: "eventCategory", equals: ["Management"] },
              { field: "eventSource", notEquals: ["kms.amazonaws.com"] },
            ],
          },
        ]),
        reason: "management events with eventSource = kms.amazonaws.com",
      },
    ],
  ],
  [
    "management events: selectors unknown at preview",
    C.cloudtrailManagementEvents,
    { selectors: UNKNOWN },
    undefined,
    [{ field: "selectors", expected: "every management event", found: UNKNOWN }],
  ],
  [
    "data events: only the ones asked for",
    C.cloudtrailDataEvents,
    { s3DataEvents: T, lambdaDataEvents: F },
    { s3: true, lambda: false },
    [],
  ],
  [
    "data events: missing and unknown",
    C.cloudtrailDataEvents,
    { s3DataEvents: F, lambdaDataEvents: UNKNOWN },
    { s3: true, lambda: true },
    [
      { field: "s3DataEvents", expected: "recorded", found: F },
      { field: "lambdaDataEvents", expected: "recorded", found: UNKNOWN },
    ],
  ],
  ["rotation: on", C.kmsKeyRotation, ROT, { maxRotationPeriodDays: 365 }, []],
  [
    "rotation: off",
    C.kmsKeyRotation,
    { ...ROT, rotationEnabled: F },
    {},
    [{ field: "rotationEnabled", expected: "true", found: F }],
  ],
  [
    "rotation: asymmetric keys cannot rotate",
    C.kmsKeyRotation,
    { ...ROT, keySpec: known("RSA_2048"), rotationEnabled: F },
    {},
    [],
  ],
  [
    "rotation: unknown key spec",
    C.kmsKeyRotation,
    { ...ROT, keySpec: UNKNOWN },
    {},
    [{ field: "keySpec", expected: "known at preview", found: UNKNOWN }],
  ],
  [
    "rotation: period too long",
    C.kmsKeyRotation,
    { ...ROT, rotationPeriodDays: known(400) },
    { maxRotationPeriodDays: 365 },
    [{ field: "rotationPeriodDays", expected: "≤ 365", found: known(400), reason: "above-maximum" }],
  ],
  ["retention: never expire (0)", C.logGroupRetention, { retentionDays: known(0) }, { minRetentionDays: 365 }, []],
  ["retention: never expire (unset)", C.logGroupRetention, { retentionDays: ABSENT }, { minRetentionDays: 365 }, []],
  [
    "retention: too short",
    C.logGroupRetention,
    { retentionDays: known(30) },
    { minRetentionDays: 365 },
    [{ field: "retentionDays", expected: "≥ 365", found: known(30) }],
  ],
  [
    "log group key: none",
    C.logGroupKms,
    { kmsKeyId: ABSENT },
    undefined,
    [{ field: "kmsKeyId", expected: "a customer managed KMS key", found: ABSENT, reason: "missing" }],
  ],
  [
    "log group key: another key than the intended one",
    C.logGroupKms,
    {
      kmsKeyId: known("arn:aws:kms:us-east-1:111111111111:key/other"),
      intendedKey: known({ same: false, reason: "x" }),
    },
    undefined,
    [
      {
        field: "kmsKeyId",
        expected: "the intended key",
        found: known("arn:aws:kms:us-east-1:111111111111:key/other"),
        reason: "not-intended-key",
      },
    ],
  ],
  ["recorder: no recording group records all", C.configRecorderAllSupported, { allSupported: ABSENT }, undefined, []],
  [
    "recorder: some types only",
    C.configRecorderAllSupported,
    { allSupported: F },
    undefined,
    [{ field: "allSupported", expected: "true", found: F }],
  ],
  [
    "global types: one region",
    C.configRecorderGlobalResources,
    { regionsRecordingGlobal: known(["eu-west-1"]) },
    {},
    [],
  ],
  [
    "global types: none",
    C.configRecorderGlobalResources,
    { regionsRecordingGlobal: known([]) },
    {},
    [{ field: "regionsRecordingGlobal", expected: "exactly one region", found: known([]), reason: "none" }],
  ],
  [
    "global types: two",
    C.configRecorderGlobalResources,
    { regionsRecordingGlobal: known(["a", "b"]) },
    { homeRegion: "a" },
    [{ field: "regionsRecordingGlobal", expected: "only a", found: known(["a", "b"]), reason: "several" }],
  ],
  [
    "global types: not the home region",
    C.configRecorderGlobalResources,
    { regionsRecordingGlobal: known(["b"]) },
    { homeRegion: "a" },
    [{ field: "regionsRecordingGlobal", expected: "only a", found: known(["b"]), reason: "not-home" }],
  ],
  ["GuardDuty: a detector left at its default is on", C.guarddutyEnabled, { enabled: ABSENT }, undefined, []],
  ["GuardDuty: off", C.guarddutyEnabled, { enabled: F }, undefined, [{ field: "enabled", expected: "true", found: F }]],
  [
    "Security Hub: not enabled",
    C.securityhubEnabled,
    { enabled: ABSENT },
    undefined,
    [{ field: "enabled", expected: "true", found: ABSENT }],
  ],
  [
    "Inspector: the required types on",
    C.inspectorScanning,
    { scanTypes: known({ ec2: T, ecr: T, lambda: F }) },
    { required: ["ec2", "ecr"] },
    [],
  ],
  [
    "Inspector: one off, one not reported",
    C.inspectorScanning,
    { scanTypes: known({ ec2: T, ecr: F }) },
    { required: ["ec2", "ecr", "lambda"] },
    [
      { field: "ecr", expected: "true", found: F },
      { field: "lambda", expected: "true", found: ABSENT },
    ],
  ],
  [
    "Inspector: not activated",
    C.inspectorScanning,
    { scanTypes: ABSENT },
    { required: ["ec2"] },
    [{ field: "scanTypes", expected: "ec2", found: ABSENT }],
  ],
];

describe("controls", () => {
  it.each(ROWS)("%s", (_name, control, facts, params, gaps) => {
    expect(control.judge(facts, params)).toEqual({ control: control.meta.id, passed: gaps.length === 0, gaps });
  });

  it("the registry holds every control file once, under its id, kebab-case, with complete metadata", () => {
    const ids = C.CONTROLS.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    const SHARED = ["types.ts", "facts.ts", "key-ref.ts", "index.ts"];
    const files = readdirSync(join(__dirname, "../../../baseline/controls")).filter((f) => !SHARED.includes(f));
    expect(files.sort()).toEqual(ids.map((id) => `${id}.ts`).sort());
    for (const c of C.CONTROLS) {
      expect(c.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(c.meta.title.length).toBeGreaterThan(10);
      expect(c.meta.risk.length).toBeGreaterThan(20);
      expect(c.meta.references.length).toBeGreaterThanOrEqual(1);
      for (const r of c.meta.references) expect(r).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      for (const f of c.meta.fsbp) expect(f).toMatch(/^[A-Za-z0-9]+\.\d+$/);
      for (const r of c.meta.cis)
        expect(r).toEqual({
          version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
          id: expect.stringMatching(/^\d+(\.\d+)+$/),
        });
    }
  });

  it("controlById names the id it cannot find", () => {
    expect(() => C.controlById("nope")).toThrow('controlById: no control "nope"');
  });

  it("facts: absent stands for AWS's default only where asked", () => {
    expect([
      C.factOf(undefined),
      C.factOf(null),
      C.factOf(false),
      C.valueOf(known(3)),
      C.valueOf(UNKNOWN),
      C.withDefault(ABSENT, 1),
      C.withDefault(UNKNOWN, 1),
    ]).toEqual([ABSENT, ABSENT, F, 3, undefined, known(1), UNKNOWN]);
  });
});

import { z } from "zod";
import { waiverEntrySchema } from "./waivers";
import { athenaManifestSchema } from "./athena/tables";
import { ACCOUNT_ID, ORG_ID, ROOT_ID } from "./arns";
import type { PolicyDocument } from "./policy-types";
import { compileFilterPattern, FilterPatternError } from "./detection/filter-pattern";
import { pipelineManifestSchema } from "./pipeline";
import { detectionPipelineManifestSchema } from "./detection/alert-pipeline";
import { LOG_BUCKET_ROLES } from "./log-buckets";
import { stackSetManifestSchema } from "./stackset";
import { guardDutyManifestSchema } from "./detection/guardduty";
import { organizationSettingsSchema } from "./organization";
import { auditAgentManifestSchema } from "./audit-agent-deployment";
import { INSPECTOR_RESOURCE_TYPES } from "./detection/inspector";
import { securityHubManifestSchema } from "./detection/security-hub";

/** Bumped on any change a reader must know about; the agent refuses a manifest of another major version. */
export const AUDIT_MANIFEST_SCHEMA_VERSION = 1;

const accountId = z.string().regex(ACCOUNT_ID, "must be a 12-digit AWS account id");
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const region = z.string().regex(REGION, "must be an AWS region such as us-east-1");
const arn = z.string().regex(/^arn:aws[a-z-]*:/, "must be an ARN");

const statement = z.strictObject({
  Sid: z.string().optional(),
  Effect: z.enum(["Allow", "Deny"]),
  Principal: z.any().optional(),
  NotPrincipal: z.any().optional(),
  Action: z.union([z.string(), z.array(z.string())]).optional(),
  NotAction: z.union([z.string(), z.array(z.string())]).optional(),
  Resource: z.union([z.string(), z.array(z.string())]).optional(),
  NotResource: z.union([z.string(), z.array(z.string())]).optional(),
  Condition: z.record(z.string(), z.record(z.string(), z.any())).optional(),
});
export const policyDocumentSchema = z.strictObject({
  Version: z.literal("2012-10-17"),
  Id: z.string().optional(),
  Statement: z.array(statement).min(1),
});

export const allowedGranteeSchema = z.strictObject({
  /** Principal ARN the grant is for (exact, or a pattern with * wildcards). */
  granteePrincipal: z.string().min(1),
  /** Operations this grantee may hold; a grant with any other operation is drift. */
  operations: z.array(z.string()).min(1),
  /** Retiring principal allowed on such a grant; absent means none may be set. */
  retiringPrincipal: z.string().optional(),
});

/** A customer key the baseline lays (other than the log key, which is `key`): what the KMS checks judge it against. */
export const baselineKeySchema = z.strictObject({
  /** Stable handle of the key in the baseline, e.g. "log-group-key". */
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, "must be a handle such as log-group-key (letters, digits, - and _)"),
  /** What the key protects, for people: "the trail log group's key". */
  purpose: z.string().min(1),
  /** The key ARN (its account and region are where the audit reads it). */
  arn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/,
      "must be a KMS key ARN such as arn:aws:kms:us-east-1:333333333333:key/1234abcd-…",
    ),
  /** The alias infra points at the key (same account and region). */
  aliasName: z
    .string()
    .regex(/^alias\/(?!aws\/)[\w/-]+$/, 'must be an alias name starting with "alias/" (not "alias/aws/")'),
  expectedKeyPolicy: policyDocumentSchema,
  /** Grants the key may carry; empty: any grant is drift. */
  allowedGrantees: z.array(allowedGranteeSchema),
  /** Automatic rotation as laid (the baseline turns it on for every key). */
  rotationEnabled: z.boolean(),
});

/** An IAM role the baseline lays and depends on: what the role checks judge its trust and permissions against. */
export const baselineRoleSchema = z.strictObject({
  /** Stable handle in the baseline, e.g. "trail-logs-role". */
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, "must be a handle such as trail-logs-role (letters, digits, - and _)"),
  /** What the role is for, for people: "the trail's CloudWatch Logs delivery role". */
  purpose: z.string().min(1),
  account: accountId,
  roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, "must be an IAM role name"),
  /** The trust policy as laid: who may assume the role, under which conditions. */
  trustPolicy: policyDocumentSchema,
  /** Inline policies by name, as laid; any other inline policy is drift. */
  inlinePolicies: z.record(z.string().min(1), policyDocumentSchema),
  /** Managed policies attached, by ARN; any other attachment is drift. */
  managedPolicyArns: z.array(arn),
});

export const expectedScpSchema = z.strictObject({
  /** Policy id (p-…); unknown until the first deploy, so the name is the stable handle. */
  id: z
    .string()
    .regex(/^p-[0-9a-z_]{8,128}$/, "must be an SCP id such as p-abcd1234")
    .optional(),
  name: z.string().min(1),
  content: policyDocumentSchema,
  /** Root, OU or account ids the SCP must be attached to. */
  targets: z.array(z.string().min(1)).min(1),
});

/** CloudTrail writes one digest file per trail and region each hour, not continuously. */
export const DIGEST_PERIOD_MINUTES = 60;

const thresholdsSchema = z
  .strictObject({
    /** Maximum age of the newest CloudTrail log delivery: to S3, to CloudWatch Logs, and per account in the archive. */
    deliveryMaxAgeMinutes: z.number().int().positive().default(60),
    /**
     * Maximum age of the newest digest file. Digests arrive once an hour, so a healthy trail's newest
     * digest is up to an hour old plus the delivery latency the log threshold already allows: held
     * to `deliveryMaxAgeMinutes` alone, the check would fail a healthy trail for part of every hour.
     * Default: one digest period plus the delivery threshold (120 with the default 60).
     */
    digestMaxAgeMinutes: z
      .number()
      .int()
      .min(
        DIGEST_PERIOD_MINUTES,
        `must be at least ${DIGEST_PERIOD_MINUTES}: CloudTrail writes digest files once an hour, so a shorter threshold fails a healthy trail`,
      )
      .optional(),
  })
  .transform((t) => ({
    deliveryMaxAgeMinutes: t.deliveryMaxAgeMinutes,
    digestMaxAgeMinutes: t.digestMaxAgeMinutes ?? t.deliveryMaxAgeMinutes + DIGEST_PERIOD_MINUTES,
  }));

const cisFilterIntentSchema = z.strictObject({
  /** CIS AWS Foundations v1.4.0/v1.5.0 control id (4.1–4.15). */
  cisId: z.string().regex(/^\d+\.\d+$/, "must be a CIS control id such as 4.3"),
  filterName: z.string().min(1),
  alarmName: z.string().min(1),
  metricName: z.string().min(1),
  /** The pattern infra lays; the audit compares the live one with it by meaning. */
  pattern: z
    .string()
    .min(1)
    .superRefine((p, ctx) => {
      try {
        compileFilterPattern(p);
      } catch (e) {
        if (!(e instanceof FilterPatternError)) throw e;
        ctx.addIssue({ code: "custom", message: `is not a filter pattern the audit can read: ${e.message}` });
      }
    }),
});

/** The CIS metric filters on the trail's log group (trail.logGroupName) and the alarms on their metrics. */
const cisAlarmsSchema = z.strictObject({
  /** Topic every CIS alarm must notify (management account, home region). */
  topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, "must be an SNS topic ARN"),
  metricNamespace: z.string().min(1),
  filters: z
    .array(cisFilterIntentSchema)
    .min(1)
    .superRefine((fs, ctx) => {
      const seen = new Set<string>();
      fs.forEach((f, n) => {
        if (seen.has(f.cisId))
          ctx.addIssue({ code: "custom", path: [n, "cisId"], message: `CIS ${f.cisId} is listed twice` });
        seen.add(f.cisId);
      });
    }),
});

// ---- logBuckets: the baseline's log buckets as one family (baseline/log-buckets.ts) ----
const days = z.number().int().positive();

const lifecycleIntentSchema = z
  .strictObject({
    ruleId: z.string().min(1),
    logPrefixes: z.array(z.string()).min(1),
    expirationDays: days.optional(),
    noncurrentDays: days,
    lockDays: days.optional(),
    abortIncompleteDays: days,
    transition: z.strictObject({ days, storageClass: z.string().min(1) }).optional(),
  })
  .superRefine((l, ctx) => {
    if (l.lockDays !== undefined && l.noncurrentDays < l.lockDays)
      ctx.addIssue({
        code: "custom",
        path: ["noncurrentDays"],
        message: `must not be shorter than lockDays (${l.lockDays})`,
      });
  });

const logBucketIntentSchema = z.strictObject({
  role: z.enum(LOG_BUCKET_ROLES),
  bucketName: z.string().min(3),
  accountId,
  region,
  /**
   * The bucket policy, for the buckets the log-bucket family judges it on; absent for the archive and
   * the flow-log bucket (archive-bucket-policy and flow-log-bucket-policy judge theirs, from their own sections).
   */
  expectedBucketPolicy: policyDocumentSchema.optional(),
  /** Default encryption: SSE-S3 where a service cannot deliver to SSE-KMS (access logs, reports). */
  encryption: z
    .discriminatedUnion("algorithm", [
      z.strictObject({ algorithm: z.literal("AES256") }),
      z.strictObject({
        algorithm: z.literal("aws:kms"),
        keyArn: z.string().regex(/^arn:aws[a-z-]*:kms:/, "must be a KMS key ARN"),
      }),
    ])
    .optional(),
  lifecycle: lifecycleIntentSchema,
  /** Server access logging target; absent: the bucket is not access-logged (the access-log bucket itself, the report and Athena query-results buckets). */
  accessLogging: z.strictObject({ targetBucket: z.string().min(3), targetPrefix: z.string() }).optional(),
});

/** Every role at most once: the checks find a bucket by its role. */
const logBucketsSchema = z.array(logBucketIntentSchema).superRefine((bs, ctx) => {
  const seen = new Set<string>();
  bs.forEach((b, n) => {
    if (seen.has(b.role)) ctx.addIssue({ code: "custom", path: [n, "role"], message: `${b.role} is listed twice` });
    seen.add(b.role);
  });
});

/** Every object is strict: a misspelt key (thresholds.deliveryMaxAgeMinute) is an error, never a silent default. */
export const auditManifestSchema = z
  .strictObject({
    schemaVersion: z.literal(AUDIT_MANIFEST_SCHEMA_VERSION),
    stack: z.string().min(1),
    generatedBy: z.string().default("orgwarden"),
    organization: z.strictObject({
      id: z.string().regex(ORG_ID, "must be an organization id such as o-abc123def4"),
      rootId: z.string().regex(ROOT_ID, "must be a root id such as r-ab12"),
      managementAccountId: accountId,
      logArchiveAccountId: accountId,
      securityAccountId: accountId,
      /** OUs every ACTIVE account must sit under (directly or below). */
      governedOus: z
        .array(
          z.strictObject({
            id: z.string().regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, "must be an OU id"),
            name: z.string(),
          }),
        )
        .min(1),
    }),
    regions: z
      .strictObject({
        home: region,
        governed: z.array(region).min(1),
      })
      // The trail, the key and the buckets live in the home region: an audit that does not govern it would never look at them.
      // A home that is no region at all already has its own problem; one line per mistake.
      .superRefine((r, ctx) => {
        if (REGION.test(r.home) && Array.isArray(r.governed) && !r.governed.includes(r.home))
          ctx.addIssue({
            code: "custom",
            path: ["home"],
            message: `must be one of regions.governed (${r.governed.join(", ")}), got "${r.home}"`,
          });
      }),
    trail: z.strictObject({
      name: z.string().min(1),
      arn,
      homeRegion: region,
      isOrganizationTrail: z.literal(true),
      logGroupName: z.string().min(1),
      logGroupRetentionDays: z.number().int().positive(),
      dataEvents: z.strictObject({ s3: z.boolean(), lambda: z.boolean() }),
      /**
       * The log group's own KMS key (management account, home region). Optional: absent under controlTower, in older
       * manifests, and not yet published by infra (the prod example manifest would exceed the parameter's 8 KB).
       */
      logGroupKeyArn: arn.optional(),
    }),
    archive: z.strictObject({
      bucketName: z.string().min(3),
      accessLogBucketName: z.string().min(3),
      objectLock: z.strictObject({ mode: z.enum(["COMPLIANCE", "GOVERNANCE"]), days: z.number().int().positive() }),
      /** Absent only under controlTower: the policy is Control Tower's, not a document orgwarden lays. */
      expectedBucketPolicy: policyDocumentSchema.optional(),
    }),
    key: z.strictObject({
      arn,
      /** Absent only under controlTower: the landing zone's key has the policy its owner wrote. */
      expectedKeyPolicy: policyDocumentSchema.optional(),
      allowedGrantees: z.array(allowedGranteeSchema),
    }),
    /**
     * Every other customer key the baseline lays, and the log key's alias (issue #10). Absent in
     * manifests written before it: the KMS checks then judge the log key only, and say so.
     */
    keys: z
      .strictObject({
        /** The alias infra points at the log key (`key.arn`); absent under controlTower (the landing zone's key, whose aliases orgwarden does not lay). */
        logKeyAlias: z
          .string()
          .regex(/^alias\/(?!aws\/)[\w/-]+$/, 'must be an alias name starting with "alias/" (not "alias/aws/")')
          .optional(),
        others: z.array(baselineKeySchema),
      })
      .optional(),
    /**
     * The IAM roles the baseline depends on that live in one account each (issue #10): the trail's
     * CloudWatch Logs role, the log auditor role, the agent's roles. Absent in manifests written
     * before it: the role checks are then NOT_APPLICABLE, saying so.
     */
    roles: z
      .strictObject({
        shared: z.array(baselineRoleSchema),
        /**
         * The audit read role and the event forwarder role the member baseline lays in every account
         * (baseline/detection/member-roles.ts): the agent rebuilds both from audit.readRoleName, the
         * organization's ids and the detectionPipeline area, and this digest says whether it rebuilds
         * what infra laid. Absent in manifests written before it: those roles are then NOT_APPLICABLE, saying so.
         */
        perAccount: z
          .strictObject({
            digest: z.string().regex(/^[0-9a-f]{16}$/, "must be 16 hex digits (the start of a SHA-256)"),
          })
          .optional(),
      })
      .optional(),
    /**
     * Present when the organization is an AWS Control Tower landing zone (controlTower.enabled): trail,
     * archive and key then name Control Tower's resources, and the checks say where their intent differs
     * (docs/control-tower.md).
     */
    controlTower: z
      .strictObject({
        /** The role Control Tower acts through in enrolled accounts (exempt from orgwarden's SCPs). */
        executionRoleName: z.string().min(1),
        /** Control Tower's Config recorder and delivery channel in every enrolled account and governed region. */
        configRecorderName: z.string().min(1),
        deliveryChannelName: z.string().min(1),
      })
      .optional(),
    /** The VPC Flow Logs bucket (log-archive account, home region); absent when network.flowLogs.enabled is false. */
    flowLogs: z
      .strictObject({
        bucketName: z.string().min(3),
        keyArn: arn,
        expectedBucketPolicy: policyDocumentSchema,
      })
      .optional(),
    /**
     * The log buckets (archive, access-log, Config, flow-log, DNS query-log, Athena query-results,
     * report) with their intended settings, judged by the log-bucket-* checks. Absent in a manifest
     * published before issue #10: those checks are then ERROR, saying to republish, never a PASS on buckets the manifest does not describe.
     */
    logBuckets: logBucketsSchema.optional(),
    /**
     * Athena over the logs (security account, home region); absent when athena.enabled is false. Its
     * query-results bucket is the logBuckets entry of role athena-results, judged by the log-bucket-* checks.
     */
    athena: athenaManifestSchema.optional(),
    /**
     * Route 53 Resolver query logging (log-archive account): the DNS query-log bucket in the home
     * region, and in every governed region a query logging configuration named configName delivering
     * to it, shared through the RAM share of the same name; absent when network.dnsQueryLogs.enabled is false.
     * What dns-query-log-config judges; the bucket itself (policy, key, lifecycle, access logging) is
     * the logBuckets entry of role dns-query-log, judged by the log-bucket-* checks.
     */
    dnsQueryLogs: z.strictObject({ bucketName: z.string().min(3), configName: z.string().min(1) }).optional(),
    scps: z.array(expectedScpSchema).min(1),
    /** The member-baseline StackSet and its exclusions (baseline/stackset.ts); absent in manifests published before it. */
    stackSet: stackSetManifestSchema.optional(),
    /**
     * The organization's feature set, the policy types enabled on its root, its trusted-access
     * principals and the services the security account is delegated administrator of, as infra laid
     * them (baseline/organization.ts). Absent in manifests published before it: organization-settings
     * and delegated-administrators are then NOT_APPLICABLE, saying to republish, never PASS.
     */
    organizationSettings: organizationSettingsSchema.optional(),
    detection: z.strictObject({ cisAlarms: cisAlarmsSchema }),
    /**
     * GuardDuty's organization settings and protection features (baseline/detection/guardduty.ts
     * guardDutyIntent, what infra lays); absent in manifests published before it: guardduty-organization
     * and guardduty-features are then NOT_APPLICABLE, saying so.
     */
    guardDuty: guardDutyManifestSchema.optional(),
    /**
     * Amazon Inspector as laid (infra/detection/inspector.ts, every governed region): the security account
     * is the delegated administrator, the organization configuration auto-enables exactly these scan types
     * (baseline/detection/inspector.ts inspectorAutoEnable) and every member account is associated. Absent
     * in manifests published before it: inspector-organization and inspector-members are then
     * NOT_APPLICABLE, saying so.
     */
    inspector: z
      .strictObject({
        /** detection.inspector.resourceTypes: the scan types infra auto-enables and enables in every account. */
        resourceTypes: z
          .array(z.enum(INSPECTOR_RESOURCE_TYPES))
          .min(1)
          .refine((a) => new Set(a).size === a.length, { message: "must not repeat a resource type" }),
      })
      .optional(),
    /** The detection pipeline (Config delivery and aggregator, …) as laid; absent in manifests published before it. */
    pipeline: pipelineManifestSchema.optional(),
    /**
     * The alert topics, the central bus and the forwarding rules: the names' prefix, the keys, the
     * subscribers and the digest of what baseline/detection/alert-pipeline.ts builds from them.
     * Absent in manifests published before it: those checks are then NOT_APPLICABLE, saying so.
     */
    detectionPipeline: detectionPipelineManifestSchema.optional(),
    /**
     * The audit agent's own deployment (security account, home region; baseline/audit-agent-deployment.ts):
     * the schedule rule and its target, the alarms on its runs, its log groups' retention and key.
     * Absent in manifests published before it: the audit-agent-* checks are then NOT_APPLICABLE, saying so.
     */
    auditAgent: auditAgentManifestSchema.optional(),
    /**
     * Security Hub's organization setup (baseline/detection/security-hub.ts): central or local
     * configuration, the CIS version, the central configuration policy's name. The standards, the
     * finding aggregator and the organization settings are rebuilt from it with securityHubIntent().
     * Absent in manifests published before it: securityhub-admin-account, securityhub-organization,
     * securityhub-configuration-policy, securityhub-standards and securityhub-finding-aggregator are
     * then NOT_APPLICABLE, saying so.
     */
    securityHub: securityHubManifestSchema.optional(),
    audit: z.strictObject({
      /** Role the agent assumes in every account (read-only). */
      readRoleName: z.string().min(1),
      /** ExternalId the read role's trust requires, if any. */
      externalId: z.string().optional(),
      /**
       * Role that validates log-file integrity (a log auditor of the key policy and the archive bucket
       * policy: the only principals that may decrypt the logs). Absent: the integrity check is ERROR,
       * saying so; the read role is never widened to read logs.
       */
      logAuditorRoleArn: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
          "must be an IAM role ARN such as arn:aws:iam::333333333333:role/orgwarden-log-auditor",
        )
        .optional(),
      /** Hours of digest chain the nightly integrity check walks back from now. */
      integrityWindowHours: z
        .number()
        .int()
        .min(1, "must be at least 1")
        .max(24 * 31, "must be at most 744 (31 days)")
        .default(24),
    }),
    thresholds: thresholdsSchema.prefault({}),
    /** The repository's waivers, published with the manifest for the nightly run (the CLI takes --waivers instead). */
    waivers: z.array(waiverEntrySchema).optional(),
  })
  // Without Control Tower every document the audit compares against is orgwarden's own and must be published.
  .superRefine((m, ctx) => {
    if (m.roles?.perAccount && !m.detectionPipeline)
      ctx.addIssue({
        code: "custom",
        path: ["roles", "perAccount"],
        message:
          "needs the detectionPipeline area beside it (the member roles are rebuilt from its namePrefix and agentRoleName)",
      });
    if (m.controlTower) return;
    if (m.archive && !m.archive.expectedBucketPolicy)
      ctx.addIssue({
        code: "custom",
        path: ["archive", "expectedBucketPolicy"],
        message:
          "is required unless controlTower is set (only Control Tower's bucket has a policy orgwarden does not lay)",
      });
    if (m.key && !m.key.expectedKeyPolicy)
      ctx.addIssue({
        code: "custom",
        path: ["key", "expectedKeyPolicy"],
        message:
          "is required unless controlTower is set (only the landing zone's key has a policy orgwarden does not lay)",
      });
    if (m.keys && m.keys.logKeyAlias === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["keys", "logKeyAlias"],
        message:
          "is required unless controlTower is set (only the landing zone's key has aliases orgwarden does not lay)",
      });
  });

export type AuditManifest = z.infer<typeof auditManifestSchema>;
export type LogBucketIntent = z.infer<typeof logBucketIntentSchema>;
export type AuditManifestInput = z.input<typeof auditManifestSchema>;

export class ManifestValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`audit manifest is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ManifestValidationError";
  }
}

function pathOf(path: PropertyKey[]): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");
}

/** The parts of a zod 4 definition needed to find which keys an object at some path allows. */
interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  element?: { _zod: { def: SchemaDef } };
  innerType?: { _zod: { def: SchemaDef } };
  in?: { _zod: { def: SchemaDef } };
}

function unwrap(def: SchemaDef): SchemaDef {
  const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
  return inner ? unwrap(inner._zod.def) : def;
}

/** The keys the manifest schema allows at a path (empty when the path leads nowhere known). */
function allowedKeysAt(path: PropertyKey[]): string[] {
  let def: SchemaDef | undefined = unwrap((auditManifestSchema as unknown as { _zod: { def: SchemaDef } })._zod.def);
  for (const step of path) {
    const next: { _zod: { def: SchemaDef } } | undefined =
      typeof step === "number" ? def?.element : def?.shape?.[String(step)];
    def = next ? unwrap(next._zod.def) : undefined;
  }
  return def?.shape ? Object.keys(def.shape) : [];
}

function problemsOf(issues: z.core.$ZodIssue[]): string[] {
  return issues.flatMap((i) => {
    if (i.code !== "unrecognized_keys") return [`${pathOf(i.path) || "(root)"}: ${i.message}`];
    const allowed = allowedKeysAt(i.path).join(", ");
    return i.keys.map((k) => `${pathOf([...i.path, k])}: unknown key (a misspelling?); allowed here: ${allowed}`);
  });
}

/** Validates and normalizes a manifest; throws ManifestValidationError listing every problem with its path. */
export function parseAuditManifest(input: unknown): AuditManifest {
  const r = auditManifestSchema.safeParse(input);
  if (!r.success) throw new ManifestValidationError(problemsOf(r.error.issues));
  return r.data;
}

/** Builds a manifest from its parts, validating it on the way out, so infra can never publish a malformed one. */
export function buildAuditManifest(input: AuditManifestInput): AuditManifest {
  return parseAuditManifest(input);
}

export type { PolicyDocument };

import { z } from "zod";
import { ACCOUNT_ID, ORG_ID, ROOT_ID } from "./arns";
import type { PolicyDocument } from "./policy-types";

/** Bumped on any change a reader must know about; the agent refuses a manifest of another major version. */
export const AUDIT_MANIFEST_SCHEMA_VERSION = 1;

const accountId = z.string().regex(ACCOUNT_ID, "must be a 12-digit AWS account id");
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as us-east-1");
const arn = z.string().regex(/^arn:aws[a-z-]*:/, "must be an ARN");

const statement = z.object({
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
export const policyDocumentSchema = z.object({
  Version: z.literal("2012-10-17"),
  Id: z.string().optional(),
  Statement: z.array(statement).min(1),
});

export const allowedGranteeSchema = z.object({
  /** Principal ARN the grant is for (exact, or a pattern with * wildcards). */
  granteePrincipal: z.string().min(1),
  /** Operations this grantee may hold; a grant with any other operation is drift. */
  operations: z.array(z.string()).min(1),
  /** Retiring principal allowed on such a grant; absent means none may be set. */
  retiringPrincipal: z.string().optional(),
});

export const expectedScpSchema = z.object({
  /** Policy id (p-…); unknown until the first deploy, so the name is the stable handle. */
  id: z.string().regex(/^p-[0-9a-z_]{8,128}$/, "must be an SCP id such as p-abcd1234").optional(),
  name: z.string().min(1),
  content: policyDocumentSchema,
  /** Root, OU or account ids the SCP must be attached to. */
  targets: z.array(z.string().min(1)).min(1),
});

export const auditManifestSchema = z.object({
  schemaVersion: z.literal(AUDIT_MANIFEST_SCHEMA_VERSION),
  stack: z.string().min(1),
  generatedBy: z.string().default("orgwarden"),
  organization: z.object({
    id: z.string().regex(ORG_ID, "must be an organization id such as o-abc123def4"),
    rootId: z.string().regex(ROOT_ID, "must be a root id such as r-ab12"),
    managementAccountId: accountId,
    logArchiveAccountId: accountId,
    securityAccountId: accountId,
    /** OUs every ACTIVE account must sit under (directly or below). */
    governedOus: z.array(z.object({ id: z.string().regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, "must be an OU id"), name: z.string() })).min(1),
  }),
  regions: z.object({
    home: region,
    governed: z.array(region).min(1),
  }),
  trail: z.object({
    name: z.string().min(1),
    arn,
    homeRegion: region,
    isOrganizationTrail: z.literal(true),
    logGroupName: z.string().min(1),
    logGroupRetentionDays: z.number().int().positive(),
    dataEvents: z.object({ s3: z.boolean(), lambda: z.boolean() }),
  }),
  archive: z.object({
    bucketName: z.string().min(3),
    accessLogBucketName: z.string().min(3),
    objectLock: z.object({ mode: z.enum(["COMPLIANCE", "GOVERNANCE"]), days: z.number().int().positive() }),
    expectedBucketPolicy: policyDocumentSchema,
  }),
  key: z.object({
    arn,
    expectedKeyPolicy: policyDocumentSchema,
    allowedGrantees: z.array(allowedGranteeSchema),
  }),
  scps: z.array(expectedScpSchema).min(1),
  audit: z.object({
    /** Role the agent assumes in every account (read-only). */
    readRoleName: z.string().min(1),
    /** ExternalId the read role's trust requires, if any. */
    externalId: z.string().optional(),
  }),
  thresholds: z
    .object({
      /** Maximum age of the newest CloudTrail delivery (S3, CloudWatch Logs, digest). */
      deliveryMaxAgeMinutes: z.number().int().positive().default(60),
    })
    .default({ deliveryMaxAgeMinutes: 60 }),
});

export type AuditManifest = z.infer<typeof auditManifestSchema>;
export type AuditManifestInput = z.input<typeof auditManifestSchema>;

export class ManifestValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`audit manifest is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ManifestValidationError";
  }
}

function pathOf(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
}

/** Validates and normalizes a manifest; throws ManifestValidationError listing every problem with its path. */
export function parseAuditManifest(input: unknown): AuditManifest {
  const r = auditManifestSchema.safeParse(input);
  if (!r.success) throw new ManifestValidationError(r.error.issues.map((i) => `${pathOf(i.path) || "(root)"}: ${i.message}`));
  return r.data;
}

/** Builds a manifest from its parts, validating it on the way out, so infra can never publish a malformed one. */
export function buildAuditManifest(input: AuditManifestInput): AuditManifest {
  return parseAuditManifest(input);
}

export type { PolicyDocument };

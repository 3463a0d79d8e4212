import { iamArnPrefix, roleArn } from "../baseline/arns";
import { wildcardMatches } from "../baseline/wildcard";
import { PROJECT } from "./config-keys";
import { longestRunSeconds, runAlarmPeriodSeconds } from "./audit-run-alarms";
import { CT_EXECUTION_ROLE_PATTERN } from "../baseline/control-tower";
import { configFields } from "./config-field";
import { FOUNDATION_SCHEMA } from "./config-schema";
import { AUDIT_ENGINE_ROLE_SUFFIXES, bucketNames, LOG_GROUP_ALIAS_SUFFIX, slug } from "./naming";

/**
 * Rules that relate several keys. Each runs only when the keys it reads parsed cleanly, so one
 * bad value is reported once, under its own key, rather than again through every rule it feeds.
 */
type Values = Record<string, unknown>;
type Rule = { keys: string[]; check: (v: Values, stack: string) => string[] };

const k = (key: string) => `${PROJECT}:${key}`;
const dupes = (xs: string[]) => [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];

const RULES: Rule[] = [
  {
    keys: ["athena.enabled", "athena.analystPrincipals"],
    check: (v) =>
      v["athena.enabled"] === true && (v["athena.analystPrincipals"] as string[]).length === 0
        ? [
            `${k("athena.analystPrincipals")} must name at least one role of the security account when athena.enabled is true: the log analyst role is the only way to query the logs, and nobody else is given its trust`,
          ]
        : [],
  },
  {
    keys: ["homeRegion", "governedRegions"],
    check: (v) => {
      const out: string[] = [];
      const gov = v.governedRegions as string[];
      if (!gov.includes(v.homeRegion as string))
        out.push(`${k("governedRegions")} must contain homeRegion (${v.homeRegion})`);
      for (const d of dupes(gov)) out.push(`${k("governedRegions")} lists ${d} more than once`);
      return out;
    },
  },
  {
    keys: ["organization.mode", "organization.id", "organization.rootId"],
    check: (v) => {
      const adopt = v["organization.mode"] === "adopt";
      const out: string[] = [];
      for (const key of ["organization.id", "organization.rootId"]) {
        if (adopt && v[key] === "") out.push(`${k(key)} is required when organization.mode is adopt`);
        if (!adopt && v[key] !== "")
          out.push(`${k(key)} must be empty when organization.mode is create (a new organization gets new ids)`);
      }
      return out;
    },
  },
  {
    keys: ["organization.mode", "logArchive.accountId", "security.accountId", "organization.existingOuIds"],
    check: (v) => {
      if (v["organization.mode"] === "adopt") return [];
      const out: string[] = [];
      for (const key of ["logArchive.accountId", "security.accountId"]) {
        if (v[key] !== "")
          out.push(
            `${k(key)} must be empty when organization.mode is create (only accounts of an adopted organization can be imported)`,
          );
      }
      if ((v["organization.existingOuIds"] as string[]).length > 0)
        out.push(`${k("organization.existingOuIds")} must be empty when organization.mode is create`);
      return out;
    },
  },
  {
    keys: ["organization.ous", "organization.securityOu", "organization.existingOuIds"],
    check: (v) => {
      const ous = v["organization.ous"] as string[];
      const out = dupes(ous).map(
        (d) => `${k("organization.ous")} lists ${d} more than once (OU names must be unique under the root)`,
      );
      const slugs = ous.map(slug);
      for (const d of dupes(slugs).filter((sl) => !dupes(ous).some((o) => slug(o) === sl))) {
        out.push(
          `${k("organization.ous")} names ${ous.filter((o) => slug(o) === d).join(" and ")}, which would share the resource name org-ou-${d}; rename one`,
        );
      }
      if (!ous.includes(v["organization.securityOu"] as string)) {
        out.push(
          `${k("organization.securityOu")} must be one of organization.ous (${ous.join(", ")}), got "${v["organization.securityOu"]}"`,
        );
      }
      for (const e of v["organization.existingOuIds"] as string[]) {
        const name = e.slice(0, e.indexOf("="));
        if (!ous.includes(name))
          out.push(`${k("organization.existingOuIds")} names OU "${name}", which is not in organization.ous`);
      }
      return out;
    },
  },
  {
    keys: ["managementAccountId", "logArchive.accountId", "security.accountId"],
    check: (v) => {
      const ids = ["managementAccountId", "logArchive.accountId", "security.accountId"].filter((key) => v[key] !== "");
      const out: string[] = [];
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          if (v[ids[i]] === v[ids[j]])
            out.push(`${k(ids[j])} must differ from ${ids[i]}: the baseline separates the accounts`);
        }
      }
      return out;
    },
  },
  {
    keys: ["logArchive.email", "security.email"],
    check: (v) =>
      v["logArchive.email"] === v["security.email"]
        ? [`${k("security.email")} must differ from logArchive.email: every AWS account needs its own root e-mail`]
        : [],
  },
  {
    keys: ["logArchive.retentionDays", "logArchive.noncurrentExpirationDays"],
    check: (v) => {
      const nc = v["logArchive.noncurrentExpirationDays"] as number;
      const ret = v["logArchive.retentionDays"] as number;
      return nc !== 0 && nc < ret
        ? [
            `${k("logArchive.noncurrentExpirationDays")} must be 0 (same as retention) or ≥ logArchive.retentionDays (${ret}), got ${nc}`,
          ]
        : [];
    },
  },
  {
    keys: ["deployRoleName", "kms.adminRoleNames"],
    check: (v) =>
      (v["kms.adminRoleNames"] as string[]).includes(v.deployRoleName as string)
        ? []
        : [
            `${k("kms.adminRoleNames")} must include deployRoleName (${v.deployRoleName}): KMS refuses a key policy that locks out the principal creating it, and pulumi could never update it`,
          ],
  },
  {
    keys: ["deployRoleName", "scp.exemptPrincipalArns"],
    check: (v) => {
      const role = roleArn("*", v.deployRoleName as string);
      const covered = (v["scp.exemptPrincipalArns"] as string[]).some((p) => wildcardMatches(p, role)); // IAM semantics, case-sensitive as ARNs are
      return covered
        ? []
        : [
            `${k("scp.exemptPrincipalArns")} must exempt the deployment role in every account (${role}), or pulumi cannot update the log-archive and security accounts once the SCP is attached`,
          ];
    },
  },
  {
    keys: ["auditorRoleNames", "kms.adminRoleNames"],
    check: (v) => {
      const admins = v["kms.adminRoleNames"] as string[];
      const both = (v.auditorRoleNames as string[]).filter((r) => admins.includes(r));
      return both.map(
        (r) =>
          `${k("auditorRoleNames")} names ${r}, which is also in kms.adminRoleNames: key administrators must not decrypt`,
      );
    },
  },
  {
    keys: ["audit.logAuditorRoleName", "kms.adminRoleNames", "audit.readRoleName", "audit.agentRoleName"],
    check: (v) => {
      const name = v["audit.logAuditorRoleName"] as string;
      const out: string[] = [];
      if ((v["kms.adminRoleNames"] as string[]).includes(name))
        out.push(
          `${k("audit.logAuditorRoleName")} is ${name}, which is also in kms.adminRoleNames: key administrators must not decrypt`,
        );
      for (const other of ["audit.readRoleName", "audit.agentRoleName"])
        if (v[other] === name)
          out.push(
            `${k("audit.logAuditorRoleName")} must differ from ${other} (${name}): only the log auditor may read and decrypt the logs`,
          );
      return out;
    },
  },
  {
    keys: ["kms.aliasName"],
    check: (v) =>
      (v["kms.aliasName"] as string).length + LOG_GROUP_ALIAS_SUFFIX.length > 256
        ? [
            `${k("kms.aliasName")} must leave room for the log group key's alias <aliasName>${LOG_GROUP_ALIAS_SUFFIX} within KMS's 256 characters (at most ${256 - LOG_GROUP_ALIAS_SUFFIX.length})`,
          ]
        : [],
  },
  {
    keys: ["kms.logGroupKeyAdminArns", "managementAccountId"],
    check: (v) =>
      (v["kms.logGroupKeyAdminArns"] as string[])
        .filter((a) => !a.startsWith(iamArnPrefix(v.managementAccountId as string)))
        .map(
          (a) =>
            `${k("kms.logGroupKeyAdminArns")} names ${a}, which is not in the management account (${v.managementAccountId}) that owns the log group key`,
        ),
  },
  {
    keys: ["logArchive.bucketPrefix", "managementAccountId"],
    check: (v, stack) => {
      const names = bucketNames({
        bucketPrefix: v["logArchive.bucketPrefix"] as string,
        stack,
        managementAccountId: v.managementAccountId as string,
      });
      const bad = Object.values(names).filter((n) => !/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(n) || n.includes("--"));
      return bad.map(
        (n) =>
          `${k("logArchive.bucketPrefix")} with stack "${stack}" gives bucket name "${n}", which is not a valid S3 bucket name (3-63 lowercase letters, digits and single hyphens)`,
      );
    },
  },
  {
    // The step-functions engine names two roles after the agent role; IAM role names are at most 64 characters.
    keys: ["audit.engine", "audit.agentRoleName"],
    check: (v) => {
      if (v["audit.engine"] !== "step-functions") return [];
      const longest = `${v["audit.agentRoleName"] as string}${AUDIT_ENGINE_ROLE_SUFFIXES.schedule}`;
      return longest.length > 64
        ? [
            `${k("audit.agentRoleName")} gives the schedule role "${longest}", longer than IAM's 64 characters; use at most ${64 - AUDIT_ENGINE_ROLE_SUFFIXES.schedule.length} characters with audit.engine step-functions`,
          ]
        : [];
    },
  },
  {
    keys: ["tags"],
    check: (v) => {
      const keys = (v.tags as string[]).map((t) => t.slice(0, t.indexOf("=")));
      const out = dupes(keys).map((d) => `${k("tags")} sets tag ${d} more than once`);
      for (const t of keys.filter((x) => x.toLowerCase().startsWith("aws:")))
        out.push(`${k("tags")} cannot set ${t}: the aws: prefix is reserved`);
      return out;
    },
  },
  {
    // With the other config problems, before any resource: the missed-run alarm needs a period it can derive or is given.
    keys: ["audit.schedule", "audit.runAlarmPeriodHours", "audit.engine"],
    check: (v) => {
      try {
        const engine = v["audit.engine"] as "lambda" | "step-functions";
        runAlarmPeriodSeconds(
          v["audit.schedule"] as string,
          v["audit.runAlarmPeriodHours"] as number,
          longestRunSeconds(engine),
        );
        return [];
      } catch (e) {
        return [(e as Error).message];
      }
    },
  },
];

/**
 * Keys that configure what Control Tower owns under controlTower.enabled (orgwarden's own trail,
 * archive lifecycle and log keys): set there they would do nothing, so they are refused with the
 * key that takes their place. trail.logGroupRetentionDays, logArchive.lockMode and
 * logArchive.retentionDays stay: they are what the audit holds Control Tower's resources to.
 */
const CT_OWNED_KEYS: Record<string, string> = {
  "trail.name": "name Control Tower's trail with controlTower.trailName",
  "trail.logGroupName": "name Control Tower's log group with controlTower.logGroupName",
  "trail.s3DataEvents": "Control Tower's trail logs management events only, and orgwarden lays no trail of its own",
  "trail.lambdaDataEvents": "Control Tower's trail logs management events only, and orgwarden lays no trail of its own",
  "logArchive.transitionDays": "Control Tower's log-archive bucket keeps the lifecycle Control Tower gives it",
  "logArchive.noncurrentExpirationDays":
    "Control Tower's log-archive bucket keeps the lifecycle Control Tower gives it",
  "kms.aliasName": "name the landing zone's key with controlTower.kmsKeyArn",
  "kms.logGroupKeyAdminArns": "orgwarden lays no trail log group key; the log group is Control Tower's",
};
const CT_KEYS = [
  "controlTower.trailName",
  "controlTower.logGroupName",
  "controlTower.logArchiveBucketName",
  "controlTower.accessLogBucketName",
  "controlTower.kmsKeyArn",
];
const DEFAULTS: Record<string, unknown> = Object.fromEntries(
  configFields(FOUNDATION_SCHEMA).map((f) => [f.key, f.default]),
);
const isDefault = (v: Values, key: string) => JSON.stringify(v[key]) === JSON.stringify(DEFAULTS[key]);

const CONTROL_TOWER_RULES: Rule[] = [
  {
    // The analyst reads the archive through statements in its bucket policy and the log key's policy (infra/athena): under Control Tower both are the landing zone's documents.
    keys: ["controlTower.enabled", "athena.enabled"],
    check: (v) =>
      v["controlTower.enabled"] === true && v["athena.enabled"] === true
        ? [
            `${k("athena.enabled")} cannot be true with ${k("controlTower.enabled")}: the log analyst role reads the archive through statements orgwarden adds to the archive bucket's and the log key's policies, and under Control Tower both are the landing zone's; set athena.enabled: false (query Control Tower's bucket with Athena set up by its owner)`,
          ]
        : [],
  },
  {
    keys: ["controlTower.enabled", ...CT_KEYS],
    check: (v) =>
      v["controlTower.enabled"] === true
        ? []
        : CT_KEYS.filter((key) => !isDefault(v, key)).map(
            (key) =>
              `${k(key)} is set, but ${k("controlTower.enabled")} is false; set controlTower.enabled: true or remove it`,
          ),
  },
  {
    keys: ["controlTower.enabled", "organization.mode", "logArchive.accountId", "security.accountId"],
    check: (v) => {
      if (v["controlTower.enabled"] !== true) return [];
      const out: string[] = [];
      if (v["organization.mode"] !== "adopt")
        out.push(
          `${k("organization.mode")} must be adopt when ${k("controlTower.enabled")} is true: Control Tower's organization already exists`,
        );
      for (const [key, what] of [
        ["logArchive.accountId", "Log Archive"],
        ["security.accountId", "Audit"],
      ])
        if (v[key] === "")
          out.push(
            `${k(key)} is required when ${k("controlTower.enabled")} is true: name Control Tower's ${what} account`,
          );
      return out;
    },
  },
  {
    keys: ["controlTower.enabled", "controlTower.kmsKeyArn", "homeRegion"],
    check: (v) => {
      if (v["controlTower.enabled"] !== true) return [];
      const key = v["controlTower.kmsKeyArn"] as string;
      if (key === "")
        return [
          `${k("controlTower.kmsKeyArn")} is required when ${k("controlTower.enabled")} is true: orgwarden's baseline encrypts the logs with a customer key, so configure the landing zone's KMS key (centralizedLogging kmsKeyArn) and name it here`,
        ];
      const region = key.split(":")[3];
      return region === v.homeRegion
        ? []
        : [
            `${k("controlTower.kmsKeyArn")} is in ${region}, but the trail and the archive are in homeRegion (${v.homeRegion})`,
          ];
    },
  },
  {
    keys: ["controlTower.enabled", ...Object.keys(CT_OWNED_KEYS)],
    check: (v) =>
      v["controlTower.enabled"] !== true
        ? []
        : Object.entries(CT_OWNED_KEYS)
            .filter(([key]) => !isDefault(v, key))
            .map(
              ([key, instead]) =>
                `${k(key)} cannot be set when ${k("controlTower.enabled")} is true (Control Tower owns that resource): ${instead}`,
            ),
  },
  {
    keys: ["controlTower.enabled", "scp.exemptPrincipalArns"],
    check: (v) =>
      v["controlTower.enabled"] !== true ||
      (v["scp.exemptPrincipalArns"] as string[]).some((p) =>
        wildcardMatches(p, roleArn("123456789012", "AWSControlTowerExecution")),
      )
        ? []
        : [
            `${k("scp.exemptPrincipalArns")} must exempt ${CT_EXECUTION_ROLE_PATTERN} when ${k("controlTower.enabled")} is true: Control Tower repairs its trail, buckets and Config recorders through that role, which orgwarden's SCPs would otherwise deny`,
          ],
  },
];

export function crossFieldProblems(values: Values, stack: string): string[] {
  return [...RULES, ...CONTROL_TOWER_RULES]
    .filter((r) => r.keys.every((key) => key in values))
    .flatMap((r) => r.check(values, stack));
}

import { z } from "zod";
import { Region } from "@pulumi/aws";
import { ACCOUNT_ID, ORG_ID, ROOT_ID } from "../baseline";
// The retention values CloudWatch Logs accepts, defined once in the baseline (0, "never expire", is refused on purpose).
import { LOG_RETENTION_DAYS } from "../baseline/detection/cloudwatch-agent-config";

/**
 * The value schemas the stack config's fields are made of (infra/config-schema.ts), over the value
 * already coerced from Pulumi's string form. Each carries a single message that says what is
 * allowed, so a bad value produces exactly one line naming its key.
 */

/** The baseline writes arn:aws: ARNs, so only commercial-partition regions can be governed. */
export const COMMERCIAL_REGIONS: string[] = Object.values(Region).filter(
  (r) => !/^(cn|us-gov|us-iso[a-z]*|eu-iso[a-z]*|eusc)-/.test(r),
);

const RETENTION_MSG = `must be one of the values CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** A role name with an optional path and IAM wildcards (an Identity Center role is aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<set>_<id>). */
const ROLE_NAME_PATTERN = /^([\w+=,.@*-]+\/)*[\w+=,.@*-]{1,64}$/;
const EXEMPT_ARN = /^arn:aws:(iam|sts)::(\d{12}|\*):(role|user|assumed-role)\/[\w+=,.@*/-]+$/;
const OU_NAME = /^[\w .,&@'()+=-]{1,128}$/;
/**
 * EventBridge rule schedule expressions (audit.schedule drives an aws.cloudwatch.EventRule): rate
 * with a singular unit for 1 and plural otherwise, cron with its six fields. Not the SSM grammar of
 * infra/detection/config.ts: State Manager associations have their own.
 */
const EVENTBRIDGE_SCHEDULE =
  /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/;
const SCHEDULE_MSG =
  'must be an EventBridge schedule expression such as "cron(0 5 * * ? *)" or "rate(1 day)" (rate takes "1 day" or "2 days", cron six fields, UTC)';

export const str = (msg: string) => z.string({ error: msg });
export const bool = () => z.boolean({ error: "must be true or false" });
export const list = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: `must be a list (YAML sequence) of ${what}` });

export const accountId = str("must be a 12-digit AWS account id").regex(ACCOUNT_ID, {
  error: "must be a 12-digit AWS account id",
});
export const optionalAccountId = z.union([z.literal(""), accountId], {
  error: "must be empty or a 12-digit AWS account id",
});
export const region = str("must be a region").refine((r) => COMMERCIAL_REGIONS.includes(r), {
  error: (i) => `must be an AWS commercial-partition region such as us-east-1 (got "${String(i.input)}")`,
});
export const roleName = str("must be an IAM role name").regex(ROLE_NAME, {
  error: "must be an IAM role name (1-64 of letters, digits and +=,.@_-)",
});
export const roleNamePattern = str("must be an IAM role name pattern").regex(ROLE_NAME_PATTERN, {
  error:
    "must be an IAM role name, optionally with a path and * wildcards (such as aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Responder_*)",
});
export const email = z
  .email({ error: "must be an e-mail address such as aws-log-archive@example.com" })
  .max(64, { error: "must be at most 64 characters" });
export const accountName = str("must be an account name")
  .min(1, { error: "must be 1-50 characters" })
  .max(50, { error: "must be 1-50 characters" });
export const tag = str("must be Key=Value").regex(/^[^=]{1,128}=[^=]{0,256}$/, {
  error: "must be Key=Value (key 1-128 characters, value up to 256, one '=')",
});

export const retentionDays = z
  .number({ error: RETENTION_MSG })
  .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), { error: RETENTION_MSG });
export const eventBridgeSchedule = str(SCHEDULE_MSG).regex(EVENTBRIDGE_SCHEDULE, { error: SCHEDULE_MSG });
export const exemptArn = str("").regex(EXEMPT_ARN, {
  error: "must be an IAM principal ARN pattern such as arn:aws:iam::*:role/break-glass",
});
export const ouName = str("must be an OU name").regex(OU_NAME, { error: "must be an OU name (1-128 characters)" });
export const orgId = z.union([z.literal(""), str("").regex(ORG_ID)], {
  error: "must be empty or an organization id such as o-a1b2c3d4e5",
});
export const rootId = z.union([z.literal(""), str("").regex(ROOT_ID)], {
  error: "must be empty or a root id such as r-a1b2",
});
export const existingOuId = str("").regex(/^[^=]+=ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, {
  error: "must be Name=ou-xxxx-xxxxxxxx",
});
// 47, not CloudTrail's 128: the CloudWatch Logs delivery role is named <trail.name>-cloudwatch-logs, and IAM allows 64.
export const trailName = str("").regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,45}[A-Za-z0-9]$/, {
  error:
    "must be 3-47 letters, digits, periods, underscores or dashes, starting and ending with a letter or digit (the delivery role <trail.name>-cloudwatch-logs must fit IAM's 64)",
});
export const logGroupName = str("").regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, {
  error: "must be a log group name (1-512 of letters, digits and ._-/#)",
});
export const bucketPrefix = str("").regex(/^[a-z0-9][a-z0-9-]{0,19}$/, {
  error: "must be 1-20 lowercase letters, digits or hyphens, starting with a letter or digit",
});
export const kmsAlias = str("").regex(/^alias\/(?!aws\/)[A-Za-z0-9/_-]{1,250}$/, {
  error: "must be alias/<name> (letters, digits, /_-), not under alias/aws/",
});
export const iamPrincipalArnPattern = str("").regex(/^arn:aws:iam::\d{12}:(root|(role|user)\/[\w+=,.@\/*?-]{1,512})$/, {
  error: "must be an IAM role or user ARN (pattern) such as arn:aws:iam::111122223333:role/Admin*",
});

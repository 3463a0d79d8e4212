/**
 * The options of one audit run, shared by the CLI, the Lambda handler and runAudit(): one zod
 * schema of their typed values (auditOptionsSchema) and two thin adapters from strings, the CLI's
 * flags and the Lambda's environment, that differ only in how they name an option, so every
 * problem names what the user actually set.
 */
import { z } from "zod";
import { BATCH_SIZE, BATCH_SIZE_RANGE, CONCURRENCY, CONCURRENCY_RANGE, DEFAULT_BATCH_SIZE } from "./limits";
import { REPORT_FORMATS, REPORT_FORMATS_TEXT } from "./report/formats";
import type { STSClientConfig } from "@aws-sdk/client-sts";

/** Credentials as every SDK v3 client accepts them (static identity or provider). */
export type AwsCredentialsInput = NonNullable<STSClientConfig["credentials"]>;

export { DEFAULT_REPORT_FORMATS, REPORT_FORMATS } from "./report/formats";

export interface AuditOptions {
  /** The audit manifest as read (JSON value); runAudit validates it with the baseline schema. */
  manifest: unknown;
  /** Named profile for the starting credentials; default chain when absent. */
  profile?: string;
  /** Starting credentials given directly (Lambda role, tests); wins over profile. */
  credentials?: AwsCredentialsInput;
  /** What the starting credentials are called when they are missing or rejected (e.g. the Lambda's role); default: from credentials/profile. */
  startingCredentialsName?: string;
  /** Enter every account, the starting one included, through the read role (the scheduled Lambda). Default false. */
  assumeReadRoleEverywhere?: boolean;
  /** Narrow the audit to these governed regions (default: all governed regions of the manifest). */
  regions?: string[];
  /** Narrow per-account work to these accounts (default: every ACTIVE account). */
  accounts?: string[];
  /**
   * Calls in flight per API family (agent/aws/pacing.ts), so S3 listing never waits behind KMS; 4 × as
   * many collection tasks (an account × region, or a shared piece) run at once, so every family's slots stay busy.
   */
  concurrency?: number;
  /** Accounts per batch of the engine (agent/engine/); default every account in one batch. */
  batchSize?: number;
  /** Send every call to this endpoint (moto server, LocalStack). */
  endpointUrl?: string;
  /** Clock the freshness checks use; default the real time. */
  now?: Date;
  /** SDK attempts per call, adaptive retry mode (the only retry layer). */
  maxAttempts?: number;
  /** Multiplies the SDK's retry delays and divides the pacer's rates; for tests against an emulator only (default 1, the SDK's own). */
  retryDelayScale?: number;
  /** Per-HTTP-request timeout in ms (socket idle), applied by the SDK's request handler. */
  requestTimeoutMs?: number;
  /** Overall budget of one collection task in ms; a task that exceeds it becomes an ERROR. */
  taskTimeoutMs?: number;
  /** The run's id (a UUID); default a fresh randomUUID(). The CLI passes the id its report staging directory is named after. */
  runId?: string;
  /** Called after each collection task; for the CLI's progress line. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULTS = {
  concurrency: 8,
  /**
   * Attempts per call. Chosen for a sustained 30 % throttling rate (far above what AWS answers a
   * paced, adaptive client): one call exhausts N attempts with probability 0.3^N, so a run of C calls
   * loses one with probability ≈ C × 0.3^N. The sandbox organization makes C ≈ 124 calls
   * (test/agent/faults): N = 8 gives 124 × 6.6e-5 ≈ 0.8 % (N = 6: 9 %, N = 7: 2.7 %); an organization
   * of 1 000 calls still loses fewer than 0.07 calls per run. Every attempt is bounded by
   * requestTimeoutMs and the SDK's backoff (capped at 20 s per retry), and a task by taskTimeoutMs.
   */
  maxAttempts: 8,
  requestTimeoutMs: 15_000,
  connectionTimeoutMs: 5_000,
  taskTimeoutMs: 120_000,
} as const;

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const csv = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

/** Date rolls 2026-02-31 over into March; a typo in --now must be refused, not silently moved. */
function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d && m >= 1 && m <= 12;
}

/** The options an entry point can set; each entry point names them its own way (a flag, a variable). */
export type AuditOptionName = "regions" | "accounts" | "concurrency" | "batchSize" | "endpointUrl" | "now" | "format";
type Namer = (option: AuditOptionName) => string;

/** How the CLI names each option (its flags) and how the Lambda does (the variables it reads); runAudit names them by their keys. */
export const CLI_FLAGS: Record<AuditOptionName, string> = {
  regions: "--regions",
  accounts: "--accounts",
  concurrency: "--concurrency",
  batchSize: "--batch-size",
  endpointUrl: "--endpoint-url",
  now: "--now",
  format: "--format",
};
export const LAMBDA_VARIABLES = {
  concurrency: "ORGWARDEN_CONCURRENCY",
  batchSize: "ORGWARDEN_BATCH_SIZE",
  endpointUrl: "ORGWARDEN_ENDPOINT_URL",
} as const satisfies Partial<Record<AuditOptionName, string>>;
const OPTION_KEYS: Namer = (o) => o;

/**
 * The audit options, typed, with the concurrency limit of agent/limits.ts and the formats of
 * agent/report/formats.ts: the one schema runAudit checks its options with and the CLI and Lambda
 * adapters below end in. Every message starts with the option as `name` calls it.
 */
export function auditOptionsSchema(name: Namer) {
  const concurrency = `${name("concurrency")} must be ${CONCURRENCY_RANGE}`;
  const batchSize = `${name("batchSize")} must be ${BATCH_SIZE_RANGE}`;
  return z.object({
    regions: z
      .array(
        z.string().regex(REGION, {
          error: (i) => `${name("regions")}: "${String(i.input)}" is not an AWS region (such as us-east-1)`,
        }),
      )
      .min(1, `${name("regions")} must list at least one region`),
    accounts: z
      .array(
        z
          .string()
          .regex(ACCOUNT, { error: (i) => `${name("accounts")}: "${String(i.input)}" is not a 12-digit account id` }),
      )
      .min(1, `${name("accounts")} must list at least one account`),
    concurrency: z
      .number({ error: concurrency })
      .int(concurrency)
      .min(CONCURRENCY.min, concurrency)
      .max(CONCURRENCY.max, concurrency),
    batchSize: z
      .number({ error: batchSize })
      .int(batchSize)
      .min(BATCH_SIZE.min, batchSize)
      .max(BATCH_SIZE.max, batchSize),
    endpointUrl: z.url({
      protocol: /^https?$/,
      message: `${name("endpointUrl")} must be a URL such as http://127.0.0.1:5000`,
    }),
    now: z.date({ error: `${name("now")} must be a time` }),
    format: z
      .array(z.enum(REPORT_FORMATS, { message: `${name("format")} entries must be ${REPORT_FORMATS_TEXT}` }))
      .min(1, `${name("format")} must list ${REPORT_FORMATS_TEXT}`),
  });
}

/** The same options from strings (a flag's or a variable's value), ending in the typed schema. */
export function auditOptionsFromStrings(name: Namer) {
  const typed = auditOptionsSchema(name).shape;
  return {
    regions: z.string().transform(csv).pipe(typed.regions),
    accounts: z.string().transform(csv).pipe(typed.accounts),
    concurrency: z
      .string()
      .regex(/^\d+$/, `${name("concurrency")} must be ${CONCURRENCY_RANGE}`)
      .transform(Number)
      .pipe(typed.concurrency),
    batchSize: z
      .string()
      .regex(/^\d+$/, `${name("batchSize")} must be ${BATCH_SIZE_RANGE}`)
      .transform(Number)
      .pipe(typed.batchSize),
    endpointUrl: typed.endpointUrl,
    now: z
      .string()
      .regex(ISO_TIME, `${name("now")} must be an ISO-8601 time with zone, such as 2026-01-31T12:00:00Z`)
      .refine(isCalendarDate, `${name("now")} is not a real calendar date`)
      .transform((s) => new Date(s))
      .pipe(typed.now),
    format: z.string().transform(csv).pipe(typed.format),
  };
}

const cliStrings = auditOptionsFromStrings((o) => CLI_FLAGS[o]);

/** The CLI adapter: raw option values (strings as commander hands them) → typed, validated options, messages naming the flags. */
export const cliOptionsSchema = z
  .object({
    manifest: z.string().min(1, "--manifest must name a file, or '-' for stdin").optional(),
    stackOutput: z.string().min(1, "--stack-output must name a Pulumi stack").optional(),
    profile: z.string().min(1, "--profile must not be empty").optional(),
    regions: cliStrings.regions.optional(),
    accounts: cliStrings.accounts.optional(),
    concurrency: cliStrings.concurrency.default(DEFAULTS.concurrency),
    batchSize: cliStrings.batchSize.optional(),
    endpointUrl: cliStrings.endpointUrl.optional(),
    now: cliStrings.now.optional(),
    format: cliStrings.format.optional(),
    out: z.string().min(1, "--out must name a directory").optional(),
    previous: z.string().min(1, "--previous must name the report.json of an earlier run").optional(),
    waivers: z.string().min(1, "--waivers must name a waivers YAML file").optional(),
    json: z.boolean().default(false),
    securityHub: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    if (!o.manifest && !o.stackOutput)
      ctx.addIssue({ code: "custom", message: "--manifest <file> (or --stack-output <stack>) is required" });
    if (o.manifest && o.stackOutput)
      ctx.addIssue({ code: "custom", message: "--manifest and --stack-output are exclusive: give one" });
    if (o.format && !o.out)
      ctx.addIssue({ code: "custom", message: "--format needs --out <dir> to write the reports to" });
  });

/**
 * ORGWARDEN_RETRY_DELAY_SCALE, read by the CLI and the Lambda alike: multiplies the SDK's retry delays
 * (AuditOptions.retryDelayScale) so that a test against an emulator is not slowed by real backoff on
 * the calls the emulator answers with 500, and divides the pacer's request rates by it (an emulator
 * meters nothing). The attempts and the order of the calls stay the same. It needs an endpoint URL: against
 * AWS itself the SDK's own delays always apply.
 */
export const RETRY_DELAY_SCALE_VARIABLE = "ORGWARDEN_RETRY_DELAY_SCALE";
const RETRY_DELAY_SCALE_RANGE = `${RETRY_DELAY_SCALE_VARIABLE} must be a number above 0 and at most 1 (it scales the SDK's retry delays against an emulator)`;

function retryDelayScaleSchema() {
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/, RETRY_DELAY_SCALE_RANGE)
    .transform(Number)
    .pipe(z.number().gt(0, RETRY_DELAY_SCALE_RANGE).lte(1, RETRY_DELAY_SCALE_RANGE));
}

/**
 * The retry delay scale from the environment, for an entry point whose endpoint option is called
 * `endpointName`; undefined when the variable is unset or empty. Throws AuditConfigError naming the
 * variable for a bad value, or for any value without an endpoint URL.
 */
export function retryDelayScaleFromEnv(
  value: string | undefined,
  endpointUrl: string | undefined,
  endpointName: string,
): number | undefined {
  if (!value) return undefined;
  const r = retryDelayScaleSchema().safeParse(value);
  if (!r.success) throw new AuditConfigError(`${RETRY_DELAY_SCALE_RANGE}, got "${value}"`);
  if (!endpointUrl)
    throw new AuditConfigError(
      `${RETRY_DELAY_SCALE_VARIABLE} applies only with ${endpointName} (an emulator such as moto); against AWS the SDK's own retry delays apply: unset it`,
    );
  return r.data;
}

const envStrings = auditOptionsFromStrings(
  (o) => (LAMBDA_VARIABLES as Partial<Record<AuditOptionName, string>>)[o] ?? o,
);

/** The Lambda adapter: its environment (an unset variable may arrive as "") → its settings, messages naming the variables. */
const lambdaSettingsSchema = z.object({
  parameter: z.string({
    error: "ORGWARDEN_MANIFEST_PARAMETER must name the SSM parameter that holds the audit manifest",
  }),
  region: z.string({ error: "AWS_REGION must be set (the Lambda runtime sets it)" }),
  concurrency: envStrings.concurrency.default(DEFAULTS.concurrency),
  batchSize: envStrings.batchSize.default(DEFAULT_BATCH_SIZE),
  endpointUrl: envStrings.endpointUrl.optional(),
  bucket: z.string().optional(),
  prefix: z.string().default("orgwarden-audit"),
  securityHub: z
    .enum(["on", "off"], { error: "ORGWARDEN_SECURITY_HUB must be on or off" })
    .default("off")
    .transform((v) => v === "on"),
  alertTopicArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, {
      message: "ORGWARDEN_ALERT_TOPIC_ARN must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)",
    })
    .optional(),
  eventBusArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._\-/]+$/, {
      message:
        "ORGWARDEN_EVENT_BUS_ARN must be an EventBridge bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)",
    })
    .optional(),
  notifyWhen: z
    .enum(["changes", "always"], { error: "ORGWARDEN_NOTIFY_WHEN must be changes or always" })
    .default("changes"),
  retryDelayScale: retryDelayScaleSchema().optional(),
});

export type LambdaSettings = z.output<typeof lambdaSettingsSchema>;

/** The variables the Lambda reads; what infra/audit-agent.ts sets. */
export interface LambdaEnv {
  ORGWARDEN_MANIFEST_PARAMETER?: string;
  ORGWARDEN_REPORT_BUCKET?: string;
  ORGWARDEN_REPORT_PREFIX?: string;
  ORGWARDEN_ENDPOINT_URL?: string;
  ORGWARDEN_CONCURRENCY?: string;
  /** Accounts per batch of the nightly Step Functions run (the plan step reads it); default DEFAULT_BATCH_SIZE. */
  ORGWARDEN_BATCH_SIZE?: string;
  /** "on": import the findings into the security account's Security Hub after each run (agent/export/security-hub.ts). */
  ORGWARDEN_SECURITY_HUB?: string;
  /** The security-alerts SNS topic the run's message goes to (agent/notify.ts); no message when unset. */
  ORGWARDEN_ALERT_TOPIC_ARN?: string;
  /** The central event bus the `Audit Completed` event goes to; no event when unset. */
  ORGWARDEN_EVENT_BUS_ARN?: string;
  /** "changes" (default): notify only when something is new or worse, or the run is incomplete; "always": after every run. */
  ORGWARDEN_NOTIFY_WHEN?: string;
  /** Scales the SDK's retry delays and the pacer's waits, above 0 and at most 1, only with ORGWARDEN_ENDPOINT_URL (tests against moto); unset in a deployed function. */
  ORGWARDEN_RETRY_DELAY_SCALE?: string;
  AWS_REGION?: string;
}

/** Validates the Lambda's environment; throws one AuditConfigError naming each bad variable and the value it holds. */
export function lambdaSettings(env: LambdaEnv): LambdaSettings {
  const set = (v: string | undefined) => (v ? v : undefined);
  const raw = {
    parameter: set(env.ORGWARDEN_MANIFEST_PARAMETER),
    region: set(env.AWS_REGION),
    concurrency: set(env.ORGWARDEN_CONCURRENCY),
    batchSize: set(env.ORGWARDEN_BATCH_SIZE),
    endpointUrl: set(env.ORGWARDEN_ENDPOINT_URL),
    bucket: set(env.ORGWARDEN_REPORT_BUCKET),
    prefix: env.ORGWARDEN_REPORT_PREFIX,
    securityHub: set(env.ORGWARDEN_SECURITY_HUB),
    alertTopicArn: set(env.ORGWARDEN_ALERT_TOPIC_ARN),
    eventBusArn: set(env.ORGWARDEN_EVENT_BUS_ARN),
    notifyWhen: set(env.ORGWARDEN_NOTIFY_WHEN),
    retryDelayScale: set(env.ORGWARDEN_RETRY_DELAY_SCALE),
  };
  const r = lambdaSettingsSchema.safeParse(raw);
  if (r.success) {
    if (r.data.retryDelayScale !== undefined && !r.data.endpointUrl)
      throw new AuditConfigError(
        `${RETRY_DELAY_SCALE_VARIABLE} applies only with ORGWARDEN_ENDPOINT_URL (an emulator such as moto); against AWS the SDK's own retry delays apply: unset it, got "${raw.retryDelayScale}"`,
      );
    return r.data;
  }
  throw new AuditConfigError(
    problemsWithValues(r.error, (key) =>
      raw[key as keyof typeof raw] === undefined ? undefined : `"${raw[key as keyof typeof raw]}"`,
    ),
  );
}

/** runAudit's own check of the options a caller set, named by their keys (the callers above have checked them already). */
export function checkRunOptions(o: Pick<AuditOptions, "regions" | "accounts" | "concurrency" | "batchSize">): void {
  const r = auditOptionsSchema(OPTION_KEYS)
    .pick({ regions: true, accounts: true, concurrency: true, batchSize: true })
    .partial()
    .safeParse(o);
  if (!r.success)
    throw new AuditConfigError(problemsWithValues(r.error, (key) => JSON.stringify(o[key as keyof typeof o])));
}

/** One line per problem, each ending with the value that was given when there is one. */
function problemsWithValues(error: z.ZodError, given: (key: string) => string | undefined): string {
  const line = (i: z.core.$ZodIssue) => {
    // An entry's message already quotes the entry.
    const value = i.path.length === 1 ? given(String(i.path[0])) : undefined;
    return value === undefined ? i.message : `${i.message}, got ${value}`;
  };
  return [...new Set(error.issues.map(line))].join("; ");
}

/** The flags, and the one setting the CLI takes from its environment (ORGWARDEN_RETRY_DELAY_SCALE, see retryDelayScaleFromEnv). */
export type CliOptions = z.output<typeof cliOptionsSchema> & { retryDelayScale?: number };

/** Thrown for a bad manifest or option discovered during the run (exit 2, no stack trace). */
export class AuditConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuditConfigError";
  }
}

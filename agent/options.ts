/**
 * Options of one audit run, shared by the CLI and the Lambda handler, plus the zod schema the CLI's
 * raw strings are validated with (every problem named by its option and what is allowed).
 */
import { z } from "zod";
import { CONCURRENCY, CONCURRENCY_RANGE } from "./limits";
import { REPORT_FORMATS, REPORT_FORMATS_TEXT } from "./report/formats";
import type { STSClientConfig } from "@aws-sdk/client-sts";

/** Credentials as every SDK v3 client accepts them (static identity or provider). */
export type AwsCredentialsInput = NonNullable<STSClientConfig["credentials"]>;

export { REPORT_FORMATS } from "./report/formats";

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
  /** Concurrent account × region tasks. */
  concurrency?: number;
  /** Send every call to this endpoint (moto server, LocalStack). */
  endpointUrl?: string;
  /** Clock the freshness checks use; default the real time. */
  now?: Date;
  /** SDK attempts per call, adaptive retry mode (the only retry layer). */
  maxAttempts?: number;
  /** Multiplies the SDK's retry delays; for tests against an emulator only (default 1, the SDK's own). */
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

/** Raw CLI option values (strings as commander hands them) → typed, validated options. */
export const cliOptionsSchema = z
  .object({
    manifest: z.string().min(1, "--manifest must name a file, or '-' for stdin").optional(),
    stackOutput: z.string().min(1, "--stack-output must name a Pulumi stack").optional(),
    profile: z.string().min(1, "--profile must not be empty").optional(),
    regions: z
      .string()
      .transform(csv)
      .pipe(
        z
          .array(z.string().regex(REGION, { error: (i) => `--regions: "${String(i.input)}" is not an AWS region (such as us-east-1)` }))
          .min(1, "--regions must list at least one region"),
      )
      .optional(),
    accounts: z
      .string()
      .transform(csv)
      .pipe(
        z
          .array(z.string().regex(ACCOUNT, { error: (i) => `--accounts: "${String(i.input)}" is not a 12-digit account id` }))
          .min(1, "--accounts must list at least one account"),
      )
      .optional(),
    concurrency: z
      .string()
      .regex(/^\d+$/, `--concurrency must be ${CONCURRENCY_RANGE}`)
      .transform(Number)
      .pipe(z.number().int().min(CONCURRENCY.min, `--concurrency must be ${CONCURRENCY_RANGE}`).max(CONCURRENCY.max, `--concurrency must be ${CONCURRENCY_RANGE}`))
      .default(DEFAULTS.concurrency),
    endpointUrl: z.url({ protocol: /^https?$/, message: "--endpoint-url must be a URL such as http://127.0.0.1:5000" }).optional(),
    now: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, "--now must be an ISO-8601 time with zone, such as 2026-01-31T12:00:00Z")
      .refine(isCalendarDate, "--now is not a real calendar date")
      .transform((s) => new Date(s))
      .optional(),
    format: z
      .string()
      .transform(csv)
      .pipe(z.array(z.enum(REPORT_FORMATS, { message: `--format entries must be ${REPORT_FORMATS_TEXT}` })).min(1, `--format must list ${REPORT_FORMATS_TEXT}`))
      .optional(),
    out: z.string().min(1, "--out must name a directory").optional(),
    json: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    if (!o.manifest && !o.stackOutput) ctx.addIssue({ code: "custom", message: "--manifest <file> (or --stack-output <stack>) is required" });
    if (o.manifest && o.stackOutput) ctx.addIssue({ code: "custom", message: "--manifest and --stack-output are exclusive: give one" });
    if (o.format && !o.out) ctx.addIssue({ code: "custom", message: "--format needs --out <dir> to write the reports to" });
  });

export type CliOptions = z.output<typeof cliOptionsSchema>;

/** Thrown for a bad manifest or option discovered during the run (exit 2, no stack trace). */
export class AuditConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuditConfigError";
  }
}

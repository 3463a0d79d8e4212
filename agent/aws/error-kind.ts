/**
 * What kind of failure an SDK error is, so that an ERROR finding can say what to do about it:
 * grant a permission, wait out throttling, retry after an AWS-side failure, or look at the network.
 * Throttling, transient and server errors are classified by the SDK's own rules
 * (@smithy/core/retry, the same functions its retry strategy decides with); access denial by the
 * error names AWS services use for it.
 */
import { isServerError, isThrottlingError, isTransientError } from "@smithy/core/retry";
import type { ErrorKind } from "../model";

/** Error names AWS services answer a missing permission with (IAM, S3, EC2-style and query-protocol services). */
const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "AccessDeniedForDependencyException",
  "AuthorizationError",
  "AuthorizationErrorException",
  "UnauthorizedOperation",
  "UnauthorizedException",
  "UnauthorizedAccess",
  "Forbidden",
  "ForbiddenException",
  "InsufficientIAMAccessPermissionException",
]);
const TIMEOUT = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "TaskTimeout"]);
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

export interface ErrorClass {
  kind: ErrorKind;
  /** HTTP requests the SDK made for the call ($metadata.attempts, set by its retry middleware on the thrown error). */
  attempts?: number;
  httpStatus?: number;
}

interface SdkErrorLike {
  name: string;
  message: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export function classifyError(err: unknown): ErrorClass {
  if (!(err instanceof Error)) return { kind: "other" };
  const e = err as Error & SdkErrorLike;
  const attempts = typeof e.$metadata?.attempts === "number" ? e.$metadata.attempts : undefined;
  const httpStatus = e.$metadata?.httpStatusCode;
  const out = (kind: ErrorKind): ErrorClass => ({
    kind,
    ...(attempts !== undefined ? { attempts } : {}),
    ...(httpStatus !== undefined ? { httpStatus } : {}),
  });
  if (ACCESS_DENIED.has(e.name)) return out("access-denied");
  // The smithy classifiers read name, code, $metadata and $retryable; they take the SDK's error type.
  const sdk = e as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(sdk)) return out("throttled");
  // Before the timeout names: the SDK's HTTP handler renames a reset socket "TimeoutError" (code ECONNRESET).
  if (NETWORK_CODES.has(e.code ?? "")) return out("network");
  if (TIMEOUT.has(e.name) || e.code === "ETIMEDOUT") return out("timeout");
  if (httpStatus === undefined && isTransientError(sdk)) return out("network");
  if (httpStatus !== undefined && httpStatus >= 500 && (isServerError(sdk) || isTransientError(sdk)))
    return out("server-error");
  return out("other");
}

/**
 * The IAM action a read needs, for the "grant" advice. API name and action agree for every call the
 * agent makes except these S3 ones, whose actions are named after the bucket subresource.
 */
const S3_ACTIONS: Record<string, string> = {
  ListObjectsV2: "ListBucket",
  GetBucketEncryption: "GetEncryptionConfiguration",
  GetObjectLockConfiguration: "GetBucketObjectLockConfiguration",
  GetPublicAccessBlock: "GetBucketPublicAccessBlock",
  GetBucketLifecycleConfiguration: "GetLifecycleConfiguration",
};

export function iamAction(service: string, operation: string): string {
  return `${service}:${service === "s3" ? (S3_ACTIONS[operation] ?? operation) : operation}`;
}

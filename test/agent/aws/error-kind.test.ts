import { describe, expect, it } from "vitest";
import { classifyError, iamAction } from "../../../agent/aws/error-kind";
import { toCollectError } from "../../../agent/collectors/common";

const sdkError = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    $metadata: { ...(status ? { httpStatusCode: status } : {}), attempts: 4 },
    ...extra,
  });

describe("classifyError: the kind of an SDK error, by the SDK's own classifiers and AWS's error names", () => {
  it.each([
    ["AccessDeniedException", 400, {}, "access-denied"],
    ["AccessDenied", 403, {}, "access-denied"],
    ["UnauthorizedOperation", 403, {}, "access-denied"],
    ["AuthorizationError", 403, {}, "access-denied"],
    ["ThrottlingException", 400, {}, "throttled"],
    ["Throttling", 400, {}, "throttled"],
    ["SlowDown", 503, {}, "throttled"],
    ["TooManyRequestsException", 429, {}, "throttled"],
    ["SomethingModeled", 400, { $retryable: { throttling: true } }, "throttled"],
    ["InternalFailure", 500, {}, "server-error"],
    ["ServiceUnavailable", 503, {}, "server-error"],
    ["TimeoutError", undefined, {}, "timeout"],
    ["TimeoutError", undefined, { code: "ECONNRESET" }, "network"],
    ["Error", undefined, { code: "ECONNREFUSED" }, "network"],
    ["ValidationException", 400, {}, "other"],
  ] as const)("%s (HTTP %s, %o) → %s", (name, status, extra, kind) => {
    expect(classifyError(sdkError(name, status, extra))).toEqual({
      kind,
      attempts: 4,
      ...(status ? { httpStatus: status } : {}),
    });
  });

  it("a non-Error is other, without attempts", () => expect(classifyError("boom")).toEqual({ kind: "other" }));

  it("toCollectError names a reset socket by its Node code and keeps the SDK's attempt count", () => {
    const reset = Object.assign(new Error("socket hang up"), {
      name: "TimeoutError",
      code: "ECONNRESET",
      $metadata: { attempts: 8 },
    });
    expect(toCollectError(reset, { service: "kms", operation: "ListGrants", account: "1", region: "r" })).toEqual({
      service: "kms",
      operation: "ListGrants",
      account: "1",
      region: "r",
      name: "ECONNRESET",
      message: "socket hang up",
      kind: "network",
      attempts: 8,
    });
  });

  it("iamAction names the permission, S3's by its bucket subresource", () => {
    expect([
      iamAction("s3", "ListObjectsV2"),
      iamAction("s3", "GetBucketPolicy"),
      iamAction("config", "DescribeConfigurationRecorders"),
    ]).toEqual(["s3:ListBucket", "s3:GetBucketPolicy", "config:DescribeConfigurationRecorders"]);
  });
});

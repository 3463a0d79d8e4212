/**
 * The wire side of the fault proxy: which service, operation and protocol a signed SDK request is,
 * and what a throttling or server error looks like in that protocol. The shapes follow the SDK's own
 * models (node_modules/@aws-sdk/client-<service>: the error's httpError trait and name) so that the
 * SDK classifies them exactly as it would AWS's; where a service models no throttling error, the
 * generic shape of its protocol is used.
 */
import { createHash } from "node:crypto";

export type Protocol = "json" | "query" | "rest-xml" | "rest-json";

export interface RequestShape {
  /** Signing name from the SigV4 credential scope, e.g. "cloudtrail", "s3", "sts". */
  service: string;
  region: string;
  accessKeyId: string;
  protocol: Protocol;
  /** X-Amz-Target's operation, the form body's Action, S3's x-id, else "<METHOD> <path pattern>". */
  operation: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …` */
export function credentialScope(
  authorization: string | undefined,
): { accessKeyId: string; region: string; service: string } | undefined {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? "");
  return m ? { accessKeyId: m[1], region: m[2], service: m[3] } : undefined;
}

/** Path segments that are ids (GuardDuty detector ids, account ids) become {id}, so one operation is one pattern. */
function pathPattern(path: string): string {
  return path
    .split("/")
    .map((s) => (/^[0-9a-f]{16,}$/i.test(s) || /^\d{6,}$/.test(s) ? "{id}" : s))
    .join("/");
}

export function shapeOf(
  method: string,
  url: URL,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): RequestShape | undefined {
  const scope = credentialScope(headers.authorization as string | undefined);
  if (!scope) return undefined;
  const target = headers["x-amz-target"] as string | undefined;
  if (target) return { ...scope, protocol: "json", operation: target.split(".").pop() ?? target };
  if (scope.service === "s3") {
    const sub = [...url.searchParams.keys()].filter((k) => url.searchParams.get(k) === "" || k === "list-type").sort();
    const [, bucket, ...rest] = url.pathname.split("/");
    const key = rest.filter((k) => k !== "");
    const path = `/${bucket ? "{Bucket}" : ""}${key.length > 0 ? "/{Key+}" : ""}`;
    const op = url.searchParams.get("x-id") ?? `${method} ${path}${sub.length ? `?${sub.join("&")}` : ""}`;
    return { ...scope, protocol: "rest-xml", operation: op };
  }
  const action = new URLSearchParams(body).get("Action");
  if (/x-www-form-urlencoded/.test(String(headers["content-type"] ?? "")) && action)
    return { ...scope, protocol: "query", operation: action };
  return { ...scope, protocol: "rest-json", operation: `${method} ${pathPattern(url.pathname)}` };
}

/** A request id that is the same for the same request (no randomness in the proxy at all). */
export function requestId(key: string): string {
  const h = createHash("sha256").update(key).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export type ErrorFault = "throttle" | "serverError" | "unavailable";

interface ErrorShape {
  status: number;
  code: string;
  message: string;
}

/**
 * Throttling as each service models it: Inspector2 and Security Hub model ThrottlingException with
 * httpError 429; CloudTrail models it with 429 too; Organizations models TooManyRequestsException
 * (429); GuardDuty models none (its API reference documents 429 TooManyRequestsException); KMS,
 * Config and CloudWatch Logs answer the awsJson generic 400 ThrottlingException; STS (query) 400
 * Throttling; S3 503 SlowDown.
 */
const THROTTLE: Record<string, ErrorShape> = {
  cloudtrail: { status: 429, code: "ThrottlingException", message: "Rate exceeded" },
  organizations: {
    status: 429,
    code: "TooManyRequestsException",
    message:
      "AWS Organizations can't complete your request because another request is already in progress. Try again later.",
  },
  guardduty: { status: 429, code: "TooManyRequestsException", message: "Rate exceeded" },
  inspector2: { status: 429, code: "ThrottlingException", message: "Rate exceeded" },
  securityhub: { status: 429, code: "ThrottlingException", message: "Rate exceeded" },
};

function shapeFor(fault: ErrorFault, s: RequestShape): ErrorShape {
  if (fault === "throttle") {
    if (THROTTLE[s.service]) return THROTTLE[s.service];
    if (s.protocol === "rest-xml")
      return { status: 503, code: "SlowDown", message: "Please reduce your request rate." };
    if (s.protocol === "query") return { status: 400, code: "Throttling", message: "Rate exceeded" };
    if (s.protocol === "rest-json") return { status: 429, code: "TooManyRequestsException", message: "Rate exceeded" };
    return { status: 400, code: "ThrottlingException", message: "Rate exceeded" };
  }
  if (fault === "serverError") {
    if (s.protocol === "rest-xml")
      return { status: 500, code: "InternalError", message: "We encountered an internal error. Please try again." };
    if (s.protocol === "rest-json")
      return {
        status: 500,
        code: s.service === "guardduty" ? "InternalServerErrorException" : "InternalServerException",
        message: "Internal server error",
      };
    return {
      status: 500,
      code: "InternalFailure",
      message: "The request processing has failed because of an unknown error, exception or failure.",
    };
  }
  if (s.protocol === "rest-xml")
    return { status: 503, code: "ServiceUnavailable", message: "Service is unable to handle request." };
  if (s.protocol === "rest-json")
    return { status: 503, code: "ServiceUnavailableException", message: "Service unavailable" };
  return {
    status: 503,
    code: "ServiceUnavailable",
    message: "The request has failed due to a temporary failure of the server.",
  };
}

/** The error response in the request's own protocol. */
export function errorAnswer(fault: ErrorFault, s: RequestShape, id: string): Answer {
  const e = shapeFor(fault, s);
  const common = { "x-amzn-requestid": id };
  if (s.protocol === "query") {
    const type = e.status >= 500 ? "Receiver" : "Sender";
    const xml = `<ErrorResponse><Error><Type>${type}</Type><Code>${e.code}</Code><Message>${e.message}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
    return { status: e.status, headers: { ...common, "content-type": "text/xml" }, body: Buffer.from(xml) };
  }
  if (s.protocol === "rest-xml") {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${e.message}</Message><RequestId>${id}</RequestId></Error>`;
    return {
      status: e.status,
      headers: { "x-amz-request-id": id, "content-type": "application/xml" },
      body: Buffer.from(xml),
    };
  }
  const contentType = s.protocol === "json" ? "application/x-amz-json-1.1" : "application/json";
  const body = JSON.stringify(s.protocol === "json" ? { __type: e.code, message: e.message } : { message: e.message });
  return {
    status: e.status,
    headers: { ...common, "x-amzn-errortype": e.code, "content-type": contentType },
    body: Buffer.from(body),
  };
}

/**
 * A Lambda run writes its telemetry (agent/telemetry.ts) to stdout, as the Lambda runtime expects:
 * one CloudWatch EMF document and one Powertools log line per run (an ERROR line to stderr). In a
 * test that is only noise in the CI log. `captureTelemetry()` takes those lines, and nothing else,
 * off stdout and stderr for each test of the file, so a test can assert on them; every other write
 * passes through unchanged. The production code is not touched: it writes exactly as in Lambda.
 */
import { afterEach, beforeEach } from "vitest";
import { SERVICE_NAME } from "../../agent/telemetry";

type Json = Record<string, unknown>;

export interface CapturedTelemetry {
  /** The EMF documents written since the test began (objects with an `_aws` key). */
  emf(): Json[];
  /** The Powertools log lines of the audit's service written since the test began. */
  logs(): Json[];
}

type Write = typeof process.stdout.write;

/** The run telemetry line a chunk holds, or undefined for anything else. */
function telemetryLine(chunk: unknown): Json | undefined {
  const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : undefined;
  const line = text?.trim();
  if (!line?.startsWith("{") || !line.endsWith("}") || line.includes("\n")) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const o = value as Json;
    return "_aws" in o || o.service === SERVICE_NAME ? o : undefined;
  } catch {
    // Not JSON after all: someone else's line, passed through.
    return undefined;
  }
}

/** Registers the hooks; the lines are kept per test (cleared before each). */
export function captureTelemetry(): CapturedTelemetry {
  const lines: Json[] = [];
  const originals: [NodeJS.WriteStream, Write][] = [];
  beforeEach(() => {
    lines.length = 0;
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      originals.push([stream, original]);
      stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
        const line = telemetryLine(chunk);
        if (!line) return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
        lines.push(line);
        // A write callback, when given, must still be called.
        const callback = rest.find((r): r is () => void => typeof r === "function");
        callback?.();
        return true;
      } as Write;
    }
  });
  afterEach(() => {
    for (const [stream, original] of originals.splice(0)) stream.write = original;
  });
  return {
    emf: () => lines.filter((l) => "_aws" in l),
    logs: () => lines.filter((l) => !("_aws" in l)),
  };
}

/**
 * moto's answers to one full audit of the seeded sandbox organization, recorded on the wire: the
 * benchmark's responder replays them, templated for N accounts (scripts/lib/bench-responder.ts), so
 * every answer it gives is one moto gave, byte for byte but for the account ids, detector ids and
 * ARNs it substitutes. What moto lacks (SSM associations, the trail's delivery times) is answered by
 * the fault tests' recorded AWS answers (test/agent/faults/_harness.ts), and recorded with the rest.
 */
import { defaultVpcIds, type VpcIds } from "../../agent/sandbox/seed-network";
import { runAuditDetailed } from "../../agent/run-audit";
import type { Sandbox } from "../../agent/sandbox/seed";
import { FaultProxy, type Answer, type RequestInfo } from "../../test/support/fault-proxy";
import { recordedAnswers } from "../../test/agent/faults/_harness";

export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Recording {
  managementAccount: string;
  /** The healthy member account every simulated account is a copy of, and its detector id per region. */
  template: { account: string; detectors: Record<string, string>; vpcs: Record<string, VpcIds> };
  regions: string[];
  /** Keyed by recordKey(). */
  answers: Record<string, RecordedAnswer>;
}

/** What identifies a request, without its access key, signature or date: who, where, what and the bytes asked. */
export function recordKey(
  r: Pick<RequestInfo, "account" | "region" | "service" | "operation" | "method" | "path" | "body">,
): string {
  return `${r.account}|${r.region}|${r.service}|${r.operation}|${r.method} ${r.path}\n${r.body}`;
}

const DROPPED = new Set(["date", "content-length", "server", "connection", "keep-alive", "transfer-encoding"]);

function keep(a: Answer): RecordedAnswer {
  const headers = Object.fromEntries(Object.entries(a.headers).filter(([k]) => !DROPPED.has(k.toLowerCase())));
  return { status: a.status, headers, body: a.body.toString("utf8") };
}

/** Audits the sandbox through a recording proxy in front of moto and returns every answer it got. */
export async function recordSandbox(sb: Sandbox, now: Date): Promise<Recording> {
  const answers: Record<string, RecordedAnswer> = {};
  const lacking = recordedAnswers(now, sb.manifest);
  const proxy = await FaultProxy.start({
    target: sb.endpoint,
    seed: "record",
    intercept: (info, forward) =>
      (lacking(info, forward) ?? forward()).then((a) => {
        answers[recordKey(info)] = keep(a);
        return a;
      }),
  });
  try {
    const { result } = await runAuditDetailed({
      manifest: sb.manifest,
      endpointUrl: proxy.endpoint,
      credentials: { ...sb.credentials },
      now,
    });
    const errors = result.findings.filter((f) => f.status === "ERROR");
    // An ERROR while recording would be copied into every simulated account: refuse it here.
    if (errors.length > 0)
      throw new Error(
        `recording the sandbox audit gave ${errors.length} ERROR findings, e.g. ${errors[0].checkId}: ${errors[0].message}`,
      );
  } finally {
    await proxy.close();
  }
  const template = sb.accounts.members[0];
  const detectors = Object.fromEntries(sb.governedRegions.map((r) => [r, sb.detectors[`${template}/${r}`]]));
  const vpcs = await defaultVpcIds(sb.session, template, sb.governedRegions);
  return {
    managementAccount: sb.accounts.management,
    template: { account: template, detectors, vpcs },
    regions: sb.governedRegions,
    answers,
  };
}

/** Shared judgement of CloudTrail's "latest delivery time / latest delivery error" pairs. */
import type { AuditManifest } from "../../baseline";
import type { CheckMetadata, Finding } from "../finding";
import type { ObservedState, ObservedTrailStatus } from "../model";
import { blocked, finding, freshness, minutesText, type CheckContext } from "./common";
import { findIntendedTrail, missingTrailMessage, trailScope } from "./trail-lookup";

export interface DeliveryReading {
  time?: string;
  error?: string;
  /** Said after "no … delivery is recorded at all", e.g. why one is expected. */
  missingNote?: string;
}

/** Problems with one delivery channel, worded for people; empty when fresh and error-free. */
export function deliveryProblems(
  label: string,
  r: DeliveryReading,
  now: Date,
  maxAgeMinutes: number,
): { problems: string[]; age?: string } {
  const problems: string[] = [];
  let age: string | undefined;
  if (r.time === undefined) {
    problems.push(`no ${label} delivery is recorded at all${r.missingNote ? ` ${r.missingNote}` : ""}`);
  } else {
    const f = freshness(r.time, now, maxAgeMinutes);
    age = f.age;
    if (!f.fresh)
      problems.push(`last ${label} delivery ${f.age} ago, older than the ${minutesText(maxAgeMinutes)} allowed`);
  }
  if (r.error) problems.push(`${label} delivery error: ${r.error}`);
  return { problems, age };
}

/**
 * Evaluates one channel of the intended trail's status. `extra` adds channel-specific problems
 * (a wrong log group, validation switched off) before the time and error are judged; `max` is the
 * channel's age threshold in minutes (the delivery threshold unless the channel has its own).
 */
export function evaluateDelivery(
  meta: CheckMetadata,
  o: ObservedState,
  m: AuditManifest,
  ctx: CheckContext,
  label: string,
  read: (s: ObservedTrailStatus) => DeliveryReading,
  extra: (o: ObservedState) => string[] = () => [],
  max: number = m.thresholds.deliveryMaxAgeMinutes,
): Finding[] {
  const scope = trailScope(m);
  const want = { maxAge: minutesText(max), error: null };
  const stop = blocked(meta, o, scope, want, o.cloudTrail.trails, o.cloudTrail.status);
  if (stop) return [stop];
  const trail = findIntendedTrail(o.cloudTrail.trails.ok ? o.cloudTrail.trails.value : [], m);
  const status = o.cloudTrail.status.ok ? o.cloudTrail.status.value : undefined;
  if (!trail || !status)
    return [finding(meta, scope, { status: "FAIL", intended: want, observed: null, message: missingTrailMessage(m) })];
  const reading = read(status);
  const { problems, age } = deliveryProblems(label, reading, ctx.now, max);
  const all = [...extra(o), ...problems];
  return [
    finding(meta, scope, {
      status: all.length === 0 ? "PASS" : "FAIL",
      intended: want,
      observed: {
        latestDeliveryTime: reading.time ?? null,
        age: age ?? null,
        error: reading.error ?? null,
        now: ctx.now.toISOString(),
      },
      message:
        all.length === 0
          ? `Trail ${trail.name}: last ${label} delivery ${age} ago, within ${minutesText(max)}, no error.`
          : `Trail ${trail.name}: ${all.join("; ")}.`,
    }),
  ];
}

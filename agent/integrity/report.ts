/** How `validate-logs` prints its result: one line per scope and per defect, or JSON listing every defect with its object's key. */
import { DEFECT_KINDS } from "./defects";
import type { ScopeResult } from "./validate";
import type { Window } from "./listing";

const S3_URL = /^s3:\/\/([^/]+)\/(.*)$/;

export function resultJson(results: ScopeResult[], w: Window, exitCode: number): unknown {
  return {
    window: { from: w.from.toISOString(), to: w.to.toISOString() },
    exitCode,
    scopes: results.map((r) => ({
      account: r.scope.account,
      region: r.scope.region,
      digestsVerified: r.digestsVerified,
      logsVerified: r.logsVerified,
      bytesHashed: r.bytesHashed,
      ...(r.error ? { error: r.error } : {}),
    })),
    defects: results.flatMap((r) =>
      r.defects.map((d) => {
        const m = S3_URL.exec(d.object);
        return {
          account: r.scope.account,
          region: r.scope.region,
          kind: d.kind,
          severity: DEFECT_KINDS[d.kind],
          bucket: m?.[1],
          key: m?.[2] ?? d.object,
          message: d.message,
          ...(d.span ? { span: d.span } : {}),
        };
      }),
    ),
  };
}

export function resultText(results: ScopeResult[], w: Window): string {
  const lines = [
    `Validated ${results.length} account × region digest chain(s) from ${w.from.toISOString()} to ${w.to.toISOString()}`,
  ];
  for (const r of results) {
    const status = r.error
      ? `ERROR: ${r.error.message}`
      : r.defects.length > 0
        ? `INVALID: ${r.defects.length} defect(s)`
        : "intact";
    lines.push(
      `${r.scope.account} ${r.scope.region}: ${r.digestsVerified} digests, ${r.logsVerified} log files valid — ${status}`,
    );
    for (const d of r.defects) lines.push(`  ${DEFECT_KINDS[d.kind]} ${d.kind}: ${d.message}`);
  }
  return `${lines.join("\n")}\n`;
}

/** 0 intact, 1 a defect, 3 a read failed (incomplete: never "intact"). */
export function exitCodeOf(results: ScopeResult[]): 0 | 1 | 3 {
  if (results.some((r) => r.error)) return 3;
  return results.some((r) => r.defects.length > 0) ? 1 : 0;
}

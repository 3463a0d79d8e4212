/**
 * A failed read of the CIS filters or alarms, over real HTTP (fault proxy → moto): every CIS control
 * is ERROR naming the call, none PASS, exit 3; every other finding is the clean run's.
 */
import { describe, expect, it } from "vitest";
import { useMoto } from "../../helpers/moto";
import { auditThroughProxy, NOW, sharedCleanRun, sorted, withStatus } from "./_harness";

const FAST = 0.02;
const CHECK = "cis-metric-filter-alarms";

describe("faults over real HTTP: the CIS filters and alarms cannot be read", () => {
  // Both cases only audit: one seeded sandbox and one clean run serve the file.
  const moto = useMoto({ reset: "file" });
  const cleanRun = sharedCleanRun(moto);

  it.each([
    ["DescribeMetricFilters", "logs"],
    ["DescribeAlarms", "cloudwatch"],
  ])(
    "%s answers HTTP 500 on every attempt: 15 ERROR findings naming it (DescribeAlarms: and audit-agent-alarms), nothing else changes",
    async (operation) => {
      const { sb, clean } = await cleanRun();
      const run = await auditThroughProxy(sb, {
        seed: 5,
        now: NOW,
        rules: [{ match: { operation }, rates: { serverError: 1 } }],
        audit: { retryDelayScale: FAST },
      });
      expect(withStatus(clean.result.findings, "PASS").filter((f) => f.checkId === CHECK)).toHaveLength(15);
      const cis = run.result.findings.filter((f) => f.checkId === CHECK);
      expect(cis.map((f) => [f.key, f.status, f.error?.operation, f.error?.kind])).toEqual(
        Array.from({ length: 15 }, (_, n) => [`4.${n + 1}`, "ERROR", operation, "server-error"]),
      );
      expect(cis[0].message).toMatch(
        new RegExp(`not evaluated, because AWS answered ${operation} with HTTP 500 after \\d+ attempts`),
      );
      // The agent's own alarms are read with DescribeAlarms too (security account): ERROR naming it as well.
      const alsoReading = operation === "DescribeAlarms" ? ["audit-agent-alarms"] : [];
      for (const id of alsoReading) {
        const fs = run.result.findings.filter((f) => f.checkId === id);
        expect(fs.length).toBeGreaterThan(0);
        expect(fs.map((f) => [f.status, f.error?.operation, f.error?.kind])).toEqual(
          fs.map(() => ["ERROR", operation, "server-error"]),
        );
      }
      const others = (fs: typeof run.result.findings) =>
        sorted(fs.filter((f) => f.checkId !== CHECK && !alsoReading.includes(f.checkId)));
      expect(others(run.result.findings)).toEqual(others(clean.result.findings));
      expect(run.result.exitCode).toBe(3);
    },
  );
});

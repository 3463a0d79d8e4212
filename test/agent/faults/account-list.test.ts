/**
 * The organization's account list, throttled past the retry budget: the run must say it did not
 * cover the organization ("account list unreadable", "audited N of …") in the result, every report
 * format and the console summary, and end incomplete — never present the manifest's accounts as
 * the organization.
 */
import { describe, expect, it } from "vitest";
import { summaryText } from "../../../agent/cli-summary";
import { renderHtml, renderJson, renderMarkdown } from "../../../agent/report";
import { useMoto } from "../../helpers/moto";
import { auditThroughProxy, NOW, seed } from "./_harness";

describe("faults over real HTTP: the account list cannot be read", () => {
  const moto = useMoto();

  it("Organizations throttling every ListAccountsForParent past the budget: a run-level INCOMPLETE in every format, exit 3, the scope named as the manifest's accounts", async () => {
    const sb = await seed(moto.endpoint);
    const clean = await auditThroughProxy(sb, { seed: "clean", now: NOW });
    expect(clean.result.incomplete).toEqual([]);
    expect(clean.result.scope.organizationAccounts).toBe(clean.result.scope.accounts.length);

    const run = await auditThroughProxy(sb, {
      seed: 5,
      now: NOW,
      rules: [{ match: { service: "organizations", operation: "ListAccountsForParent" }, rates: { throttle: 1 } }],
      audit: { maxAttempts: 2, retryDelayScale: 0.02 },
    });
    const r = run.result;
    const named = [...new Set([sb.accounts.management, sb.accounts.logArchive, sb.accounts.security])];
    expect(r.scope.accounts.sort()).toEqual([...named].sort());
    expect(r.scope.organizationAccounts).toBeNull();
    expect(r.exitCode).toBe(3);
    expect(r.incomplete).toHaveLength(1);
    expect(r.incomplete[0]).toMatch(
      new RegExp(
        `^account list unreadable: ListAccountsForParent failed with TooManyRequestsException after 2 attempts \\(.*\\); audited ${named.length} accounts \\(the accounts the manifest names\\), not the organization$`,
      ),
    );

    const line = `audited ${named.length} accounts × ${r.scope.regions.length} regions; the organization's account list could not be read`;
    expect(JSON.parse(renderJson(r)).incomplete).toEqual(r.incomplete);
    expect(renderMarkdown(r)).toContain(`> **Audit incomplete.**\n> - ${r.incomplete[0]}`);
    expect(renderMarkdown(r)).toContain(line);
    expect(renderHtml(r)).toContain(
      `<section class="incomplete" id="incomplete" role="alert"><h2>Audit incomplete</h2>`,
    );
    const summary = summaryText(r);
    expect(summary).toContain(`\nINCOMPLETE ${r.incomplete[0]}\n`);
    expect(summary).toContain(
      "result: audit incomplete: the run did not cover the organization (INCOMPLETE lines above) (exit 3)",
    );
  });
});

/**
 * report.html as a person sees it in headless Chromium (Debian's, scripts/setup-browser.sh) on a
 * desktop (1400 px) and a phone (390 px): nothing overflows sideways, the page opens on the
 * changes and then on what needs action, and the filters show exactly the rows they name.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { AuditResult } from "../../../agent/finding";
import { writeReports } from "../../../agent/report";
import { diffRuns } from "../../../agent/report/diff";
import { DEV, NAMED_RESULT, PASSES, POLICY_FAIL } from "./named-fixtures";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

// Yesterday the bucket policy was fine and one pass was failing: today's report has changes to lead with.
const PREVIOUS: AuditResult = {
  ...NAMED_RESULT,
  runId: "5b0e1d2c-7c3a-4d4e-8f6a-0b1c2d3e4f50",
  now: "2026-11-22T06:00:00.000Z",
  findings: NAMED_RESULT.findings.map((f) =>
    f.id === POLICY_FAIL.id ? { ...f, status: "PASS" } : f.id === PASSES[0].id ? { ...f, status: "FAIL" } : f,
  ),
};
const RESULT: AuditResult = { ...NAMED_RESULT, changes: diffRuns(PREVIOUS, NAMED_RESULT) };

/** In the page: how far the document and its widest element reach past the viewport, and which element that is. */
const OVERFLOW = `(() => {
  const w = window.innerWidth;
  let worst = { right: 0, what: "" };
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > worst.right) worst = { right: r.right, what: el.tagName + (el.id ? "#" + el.id : "") + "." + el.className };
  }
  return { innerWidth: w, scrollWidth: document.documentElement.scrollWidth, widest: Math.ceil(worst.right), what: worst.what };
})()`;

const OPEN_ALL = `document.querySelectorAll("details").forEach((d) => { d.open = true; })`;

describe("report.html layout and filters in headless Chromium", () => {
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run bash scripts/setup-browser.sh (installs Debian's chromium)`);
    const dir = join(mkdtempSync(join(tmpdir(), "orgwarden-layout-")), "out");
    const [file] = await writeReports(RESULT, { formats: ["html"], outDir: dir });
    url = pathToFileURL(file).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(url);
    return page;
  }

  describe.each([1400, 390])("%i px wide", (width) => {
    it("nothing overflows sideways, as opened and with every section and finding expanded", async () => {
      const page = await open(width);
      for (const state of ["as opened", "all expanded"]) {
        if (state === "all expanded") await page.evaluate(OPEN_ALL);
        const o = (await page.evaluate(OVERFLOW)) as {
          innerWidth: number;
          scrollWidth: number;
          widest: number;
          what: string;
        };
        expect([state, o.scrollWidth <= o.innerWidth, o.widest <= o.innerWidth, o.what]).toEqual([
          state,
          true,
          true,
          o.what,
        ]);
        expect(o.innerWidth).toBe(width);
      }
      await page.close();
    });

    it("shows the changes first, then what needs action, then the waived findings; All findings starts closed", async () => {
      const page = await open(width);
      const top = async (sel: string) => (await page.locator(sel).boundingBox())!.y;
      const order = [
        await top("#changes"),
        await top("#needs-action"),
        await top("#waived"),
        await top("#counts"),
        await top("#findings"),
      ];
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(await page.locator("#changes tr[data-change]").count()).toBe(2);
      expect(await page.locator("#findings-table tbody.finding:visible").count()).toBe(0);
      // The group is one visible entry with its ten pairs; the CRITICAL FAIL comes before it.
      expect(await page.locator("#needs-action tbody.error-group:visible").count()).toBe(1);
      expect(await page.locator("#needs-action tbody.error-group li[data-pair]:visible").count()).toBe(10);
      expect(
        await page
          .locator("#needs-action [data-severity-group]")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-severity-group"))),
      ).toEqual(["CRITICAL", "MEDIUM"]);
      if (width === 1400) expect(order[1]).toBeLessThan(900);
      await page.close();
    });
  });

  it("filters show exactly the rows they name; a status card opens All findings on its status", async () => {
    const page = await open(1400);
    const visibleIds = () =>
      page
        .locator("#findings-table tbody.finding:visible")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-id")).sort());
    const ids = (pred: (f: AuditResult["findings"][number]) => boolean) =>
      RESULT.findings
        .filter(pred)
        .map((f) => f.id)
        .sort();

    await page.click('[data-status-count="PASS"]');
    expect(await page.locator("#all-findings").getAttribute("open")).toBe("");
    expect(await visibleIds()).toEqual(ids((f) => f.status === "PASS"));
    expect(await page.locator("#shown-count").textContent()).toBe(String(PASSES.length));

    await page.click("#filter-reset");
    expect(await visibleIds()).toEqual(ids(() => true));
    await page.selectOption("#filter-account", DEV);
    expect(await visibleIds()).toEqual(ids((f) => f.account === DEV));
    await page.selectOption("#filter-status", "ACTION");
    expect(await visibleIds()).toEqual(ids((f) => f.account === DEV && (f.status === "FAIL" || f.status === "ERROR")));
    await page.selectOption("#filter-severity", "HIGH");
    expect(await visibleIds()).toEqual(ids((f) => f.account === DEV && f.status === "FAIL" && f.severity === "HIGH"));
    await page.click("#filter-reset");
    await page.selectOption("#filter-check", "ssm-agent-associations");
    expect(await visibleIds()).toEqual(ids((f) => f.checkId === "ssm-agent-associations"));
    // The filters act on All findings only: Needs action stays as it was.
    expect(await page.locator("#needs-action tbody.finding:visible").count()).toBe(2);
    await page.close();
  });
});

/**
 * Opens report.html in Debian's headless Chromium (installed by scripts/setup-browser.sh) and reads
 * what a person would see: the counts, the rows, and what the filters leave visible.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { writeReports } from "../../../agent/report";
import type { AuditResult, FindingStatus, Severity } from "../../../agent/finding";
import { SMALL_RESULT } from "./fixtures";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const count = (r: AuditResult, pred: (f: AuditResult["findings"][number]) => boolean) => r.findings.filter(pred).length;

describe("HTML report in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run bash scripts/setup-browser.sh (installs Debian's chromium)`);
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-html-"));
    const [file] = await writeReports(SMALL_RESULT, { formats: ["html"], outDir: dir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage();
    page.on("request", (r) => requests.push(r.url()));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(pathToFileURL(file).href);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const visibleFindings = () => page.locator("#findings-table tbody.finding:visible").count();
  const shownCount = async () => Number(await page.locator("#shown-count").textContent());

  it("loads nothing but the file itself and runs no script from a finding", async () => {
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^file:\/\/.*\/report\.html$/);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    const hostile = page.locator('tbody.finding[data-check="log-group-retention"] td.message');
    expect(await hostile.textContent()).toBe("Retention 365 | <script>alert(1)</script> & `tick`");
  });

  it("shows the AuditResult's counts by status and by severity", async () => {
    for (const st of ["FAIL", "ERROR", "PASS", "NOT_APPLICABLE"] as FindingStatus[]) {
      const shown = await page.locator(`[data-status-count="${st}"] .n`).textContent();
      expect([st, Number(shown)]).toEqual([st, count(SMALL_RESULT, (f) => f.status === st)]);
    }
    for (const sev of ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"] as Severity[]) {
      const shown = await page.locator(`[data-severity-count="${sev}"]`).textContent();
      expect([sev, Number(shown)]).toEqual([sev, count(SMALL_RESULT, (f) => f.severity === sev)]);
    }
    expect(Number(await page.locator("#total-findings").textContent())).toBe(5);
    expect(await page.locator("#verdict").textContent()).toBe("INCOMPLETE · exit code 3");
  });

  it("shows one row per account with its counts", async () => {
    // tsconfig has no DOM lib: describe the little of the DOM this callback touches.
    type Cell = { textContent: string | null };
    type Row = { querySelectorAll(selector: string): ArrayLike<Cell> };
    const rows = await page
      .locator("#accounts-table tbody tr")
      .evaluateAll((trs) =>
        (trs as unknown as Row[]).map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent)),
      );
    expect(rows).toEqual([
      ["111111111111", "0", "0", "2", "0", "2"],
      ["222222222222", "1", "0", "0", "0", "1"],
      ["444444444444", "0", "1", "0", "0", "1"],
      ["organization-wide", "0", "0", "0", "1", "1"],
    ]);
  });

  it("filters change the visible rows and the shown count", async () => {
    // All findings, PASS included, are one click away.
    expect(await visibleFindings()).toBe(0);
    await page.click("#all-findings > summary");
    expect([await visibleFindings(), await shownCount()]).toEqual([5, 5]);
    await page.selectOption("#filter-status", "FAIL");
    expect([await visibleFindings(), await shownCount()]).toEqual([1, 1]);
    expect(await page.locator("#findings-table tbody.finding:visible").getAttribute("data-check")).toBe(
      "archive-bucket-policy",
    );
    await page.selectOption("#filter-status", "ACTION");
    expect([await visibleFindings(), await shownCount()]).toEqual([2, 2]);
    await page.selectOption("#filter-account", "444444444444");
    expect(await page.locator("#findings-table tbody.finding:visible").getAttribute("data-status")).toBe("ERROR");
    await page.selectOption("#filter-severity", "CRITICAL");
    expect([await visibleFindings(), await shownCount()]).toEqual([0, 0]);
    await page.click("#filter-reset");
    expect([await visibleFindings(), await shownCount()]).toEqual([5, 5]);
    await page.selectOption("#filter-check", "trail-logging");
    expect(await visibleFindings()).toBe(1);
    await page.click("#filter-reset");
    await page.click('[data-status-count="PASS"]');
    expect([await visibleFindings(), await page.inputValue("#filter-status")]).toEqual([2, "PASS"]);
  });

  it("shows intended vs observed and remediation of a failing finding without a click", async () => {
    await page.click("#filter-reset");
    const fail = page.locator('#needs-action tbody.finding[data-status="FAIL"]');
    expect(await fail.locator("pre.observed").isVisible()).toBe(true);
    expect(JSON.parse((await fail.locator("pre.observed").textContent())!)).toEqual(SMALL_RESULT.findings[4].observed);
    expect(await fail.locator("dl.remediation code").textContent()).toBe("aws s3api put-bucket-policy");
  });
});

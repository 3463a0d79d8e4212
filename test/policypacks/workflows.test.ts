import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { runProcess } from "../helpers/run";

const ROOT = join(__dirname, "../..");
const ACTIONLINT = join(ROOT, ".cache/bin/actionlint");
const workflows = ["ci.yml", "preview.yml"].map((f) => join(ROOT, ".github/workflows", f));

async function lint(files: string[]) {
  const r = await runProcess(ACTIONLINT, ["-no-color", ...files], { cwd: ROOT });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  // npm test installs the pinned binary (scripts/setup-test-tools.sh); a missing one fails here, never skips.
  if (!existsSync(ACTIONLINT))
    throw new Error(`${ACTIONLINT} is missing: run bash scripts/setup-actionlint.sh (needs Go >= 1.22)`);
});

describe("GitHub workflows", () => {
  it("pass actionlint", async () => {
    expect(await lint(workflows)).toEqual({ status: 0, out: "" });
  });

  it("actionlint does fail on a broken workflow (so the check above can fail)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wf-"));
    const bad = join(dir, "bad.yml");
    writeFileSync(
      bad,
      [
        "on: pull_request",
        "jobs:",
        "  x:",
        "    runs-on: ubuntu-latest",
        "    env:",
        "      F: ${{ runner.temp }}/x",
        "    steps:",
        "      - run: echo ${{ steps.nope.outputs.y }}",
        "",
      ].join("\n"),
    );
    const r = await lint([bad]);
    expect(r.status).toBe(1);
    expect(r.out).toContain('context "runner" is not allowed here');
    expect(r.out).toContain('property "nope" is not defined in object type');
  });

  it("preview.yml: OIDC, pulumi/actions preview per stack with the pack and its config, a comment posted even on failure", () => {
    const wf = parse(readFileSync(workflows[1], "utf8"));
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
    const job = wf.jobs.preview;
    expect(job.needs).toBe("test");
    expect(job.strategy.matrix.stack).toEqual(["dev", "prod"]);
    const step = (uses: string) => job.steps.find((s: any) => typeof s.uses === "string" && s.uses.startsWith(uses));
    expect(step("aws-actions/configure-aws-credentials@").with["role-to-assume"]).toBe(
      "${{ vars.AWS_PREVIEW_ROLE_ARN }}",
    );
    const preview = step("pulumi/actions@");
    expect(preview.with).toMatchObject({
      command: "preview",
      "stack-name": "${{ matrix.stack }}",
      policyPacks: "policypacks/guardrails",
      policyPackConfigs: "policypacks/guardrails/config/${{ matrix.stack }}.json",
    });
    expect(preview["continue-on-error"]).toBe(true);
    const comment = step("actions/github-script@");
    expect(comment.if).toBe("always()");
    const capture = job.steps.find((s: any) => s.name === "Capture the failing preview");
    expect(capture.run).toContain('| tee "$OUTPUT_FILE"');
    expect(job.steps[job.steps.length - 1]).toMatchObject({ if: "steps.preview.outcome == 'failure'" });
    expect(wf.jobs.test.steps.map((s: any) => s.run).filter(Boolean)).toContain("npm test");
  });

  it("ci.yml: push, tests, the offline gate for both stacks, actionlint", () => {
    const wf = parse(readFileSync(workflows[0], "utf8"));
    expect(Object.keys(wf.on)).toEqual(["push"]);
    const runs = wf.jobs.test.steps.map((s: any) => s.run ?? "").join("\n");
    expect(runs).toContain("npm test");
    expect(runs).toContain('npm run --silent preview:offline -- --stack "$stack"');
    expect(runs).toContain("bash scripts/setup-actionlint.sh");
    expect(runs).toContain(".cache/bin/actionlint");
  });
});

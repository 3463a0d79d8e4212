/**
 * npm test installs the tools the suite runs; one it cannot install fails the run with one line
 * saying how to install it (never a silent skip). Python is the tool that can be made missing
 * here without touching the machine: PYTHON names an interpreter that does not exist.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runProcess } from "../helpers/run";

const ROOT = join(__dirname, "../..");

describe("scripts/setup-test-tools.sh", () => {
  it("a tool that cannot be installed is one line naming it and how to install it, and a failed exit", async () => {
    const r = await runProcess("bash", [join(ROOT, "scripts/setup-test-tools.sh")], {
      cwd: ROOT,
      env: { ...process.env, PYTHON: "/nonexistent/python3" },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "setup: python could not be installed (setup-python: Python 3.10+ is required for moto server and cfn-lint, but '/nonexistent/python3' was not found. Install python3 (with venv) and retry.); install Python >= 3.10 with venv and pip, then run bash scripts/setup-python.sh (full output: .cache/setup-python.log)\n",
    );
  });
});

import { join } from "node:path";
import { CapturedResource, ProgramRun, runProgram } from "../../../harness/run-program";

export const FIXTURE = join(__dirname, "fixtures/detection-program.ts");

export async function runDetection(config: Record<string, string>): Promise<ProgramRun> {
  return runProgram({ program: FIXTURE, stack: "prod", project: "orgwarden", mocks: "aws", config });
}

/** The provider resource's name: `<account>-<region>` in the fixture. */
export function providerOf(r: CapturedResource): string | undefined {
  return r.provider?.split("::").pop();
}

export function ofType(run: ProgramRun, type: string): CapturedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function named(run: ProgramRun, name: string): CapturedResource {
  const r = run.resources.find((x) => x.name === name);
  if (!r) throw new Error(`no resource named ${name}; have ${run.resources.map((x) => x.name).join(", ")}`);
  return r;
}

import { defineConfig } from "vitest/config";

/**
 * Test files that spawn heavy processes (the ts-node program load, tsx previews, the CLI, the
 * gRPC analyzer, actionlint, cfn-lint, the bundled Lambda). They run after everything else
 * (scripts/test.mjs), so that the spawned processes do not compete with two busy in-process
 * workers; a file that spawns a process belongs here.
 */
export const PROCESS_TESTS = [
  "test/agent/cli.test.ts",
  "test/agent/cli-*.test.ts",
  "test/baseline/detection/stackset-template.test.ts",
  "test/baseline/network/flow-log-template.test.ts",
  "test/baseline/network/dns-vpc-association-template.test.ts",
  "test/harness/policy-exemptions.test.ts",
  "test/harness/policy-gate-cli.test.ts",
  "test/harness/policy-real-analyzer.test.ts",
  "test/harness/run-program.test.ts",
  "test/helpers/moto.test.ts",
  "test/infra/agent-bundle.test.ts",
  "test/infra/program.test.ts",
  "test/infra/audit-state-machine.cfn-lint.test.ts",
  "test/infra/detection/program-wiring.test.ts",
  "test/infra/logging-scp.test.ts",
  "test/infra/audit-manifest-size.test.ts",
  "test/policypacks/workflows.test.ts",
  "test/scripts/count-reporter.test.ts",
  "test/scripts/setup-test-tools.test.ts",
  "test/scripts/preview-offline-input.test.ts",
  "test/scripts/preview-offline-json.test.ts",
];

/*
 * No test has a wall-clock limit that a busy machine could miss: nothing here is timed. The one
 * limit left (10 minutes per test or hook, the whole suite's budget) exists only to end a test that
 * hangs, so that the run reports it instead of waiting for CI to be killed.
 */
const HANG_GUARD_MS = 600_000;

export default defineConfig({
  test: {
    testTimeout: HANG_GUARD_MS,
    hookTimeout: HANG_GUARD_MS,
    teardownTimeout: HANG_GUARD_MS,
    pool: "forks",
    // Two cores: more workers only add contention (each moto-backed worker also runs its own server).
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // One moto server per worker slot for the whole run, instead of one per test file (see the file).
          // Set per project: at the root it would also run for vitest's root project and start idle servers.
          globalSetup: ["test/helpers/moto-global-setup.ts"],
          include: ["test/**/*.test.ts"],
          exclude: PROCESS_TESTS,
          // The files of one worker share its process: the SDK, Pulumi and the agent are loaded once per
          // worker instead of once per file (a whole-suite measurement: module loading fell from ~140 s to
          // ~27 s of the unit run). So a file must leave the process as it found it: restore every
          // aws-sdk-client-mock, stubbed variable, spy and fake timer it installs
          // (test/helpers/isolation.test.ts checks the patterns).
          poolOptions: { forks: { isolate: false } },
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "processes",
          globalSetup: ["test/helpers/moto-global-setup.ts"],
          include: PROCESS_TESTS,
          // scripts/test.mjs runs this project on its own, after "unit" (maxForks is not a per-project option,
          // and singleFork would share one process, and Pulumi's process-wide runtime state, between files).
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});

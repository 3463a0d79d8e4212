/**
 * The responder in a process of its own, so that its CPU and memory are not counted as the agent's:
 * `fork()`ed by the benchmark with the path of its options (JSON), it answers on loopback and reports
 * its endpoint, then its stats when asked.
 */
import { readFileSync } from "node:fs";
import { BenchResponder, type ResponderOptions, type ResponderStats } from "./bench-responder";

export type ToResponder = { type: "stats" } | { type: "close" };
export type FromResponder = { type: "ready"; endpoint: string } | { type: "stats"; stats: ResponderStats };

async function main(): Promise<void> {
  const options = JSON.parse(readFileSync(process.argv[3], "utf8")) as ResponderOptions;
  const responder = await BenchResponder.start(options);
  const send = (m: FromResponder) => process.send!(m);
  process.on("message", (m: ToResponder) => {
    if (m.type === "stats") send({ type: "stats", stats: responder.stats() });
    else void responder.close().then(() => process.disconnect());
  });
  send({ type: "ready", endpoint: responder.endpoint });
}

if (process.send && process.argv[2] === "--bench-responder")
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });

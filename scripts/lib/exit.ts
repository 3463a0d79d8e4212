/**
 * process.exit() drops whatever stdout/stderr still buffer when they are pipes, so a large `--json`
 * document piped into another command arrives cut at 64 KiB. Exit only once both have flushed.
 */
export function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

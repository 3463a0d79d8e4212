/** Entry of `npm run preview:offline`; the preview itself, its options and exit codes: scripts/lib/preview-offline.ts. */
import { exitAfterFlush } from "./lib/exit";
import { previewOffline } from "./lib/preview-offline";

previewOffline(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (e) => {
    process.stderr.write(`preview failed: ${(e as Error)?.message ?? String(e)}\n`);
    exitAfterFlush(1);
  },
);

/**
 * zod compiles object parsers with `new Function` when it may, and finds out by trying it: under
 * the studio's CSP (no 'unsafe-eval') that probe is refused and reported as a violation on every
 * page load. Parsing without compiled parsers is fast enough for the canvas's messages.
 * Imported first by the pages that parse with zod.
 */
import { z } from "zod";

z.config({ jitless: true });

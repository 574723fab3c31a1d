/**
 * The production names of takes and renders (PRD-008): a take's shot code carries its node's
 * series letter (`SHOT-010B`), its file name its version and take (`SHOT-010B_v01_take03.mp4`);
 * a cut's render has one file per version (`Main_v03.mp4`, renders.ts files it).
 */
import { isRender } from "./renders.ts";

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The shot code a take is filed under: the node's shot and its series letter (`SHOT-010B`). */
export function shotCode(e: { shot: string; variant: string }): string {
  return `${e.shot}${e.variant}`;
}

/** The file name of a take (`SHOT-010_v01_take03.mp4`) or of a render (`Main_v03.mp4`). */
export function renderFileName(
  e: { scene: string; shot: string; variant: string; version: number; take: number; ext: string },
): string {
  return isRender(e)
    ? `${e.shot}_v${pad2(e.version)}.${e.ext}`
    : `${shotCode(e)}_v${pad2(e.version)}_take${pad2(e.take)}.${e.ext}`;
}

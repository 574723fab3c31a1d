/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes and threads. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

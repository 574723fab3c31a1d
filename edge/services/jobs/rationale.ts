/**
 * A job's rationale: why it runs as it does, in words people read. The edge writes the tier's
 * part when it lowers a tier at enqueue ("high→standard: largest online GPU 16 GB"); the agent
 * that runs it sends which backend it chose and why ("wan2gp profile 4: 12 GB VRAM, 32 GB RAM"),
 * which replaces an earlier attempt's and follows the tier's part.
 */

export const RATIONALE_SEPARATOR = " · ";
const TIER_PART = /^(low|standard|high)→(low|standard|high): /;

export function withBackendChoice(stored: string | null, choice: string): string {
  const first = stored?.split(RATIONALE_SEPARATOR)[0];
  return first && TIER_PART.test(first) ? `${first}${RATIONALE_SEPARATOR}${choice}` : choice;
}

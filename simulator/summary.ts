import type { Decision } from '../engine/interpreter/types';

export interface PlaybookSummary {
  entries: number;
  sends: Record<string, number>;
  suppressions: Record<string, number>;
  exits: Record<string, number>;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Per playbook: entries, sends by channel, suppressions by reason (holdouts included), exits by reason. */
export function summarize(decisions: readonly Decision[]): Record<string, PlaybookSummary> {
  const out: Record<string, PlaybookSummary> = {};
  for (const d of decisions) {
    const s = (out[d.playbookId] ??= { entries: 0, sends: {}, suppressions: {}, exits: {} });
    if (d.action === 'enter') s.entries += 1;
    else if (d.action === 'send') bump(s.sends, d.channel ?? 'unknown');
    else if (d.action === 'suppress' || d.action === 'holdout') bump(s.suppressions, d.reason ?? d.action);
    else if (d.action === 'exit') bump(s.exits, d.reason ?? 'unknown');
  }
  return out;
}

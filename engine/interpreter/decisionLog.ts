import type { Decision, DecisionAction, RunState } from './types';

/** Collects decisions for one call; every decision carries the same `now`. */
export class DecisionLog {
  readonly decisions: Decision[] = [];
  constructor(
    private readonly state: () => RunState,
    private readonly now: number,
  ) {}
  add(action: DecisionAction, step: string | null, extra: Partial<Decision> = {}): void {
    const s = this.state();
    this.decisions.push({
      at: new Date(this.now).toISOString(),
      customerId: s.customerId,
      playbookId: s.playbookId,
      step,
      action,
      ...extra,
    });
  }
}

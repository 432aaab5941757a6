/**
 * The runs one event reached. A fan-out can reach a million, so only a count and the first `limit`
 * workflow IDs in sorted order are kept: the same list whatever order concurrent entries finish in.
 */
export class ReachedRuns {
  private ids: string[] = [];
  count = 0;

  constructor(private readonly limit: number) {}

  add(workflowIds: readonly string[]): void {
    this.count += workflowIds.length;
    this.ids.push(...workflowIds);
    // Trimming only once twice the limit is held keeps each add amortised O(log n).
    if (this.ids.length >= 2 * this.limit) this.trim();
  }

  first(): string[] {
    this.trim();
    return [...this.ids];
  }

  private trim(): void {
    this.ids = [...new Set(this.ids)].sort().slice(0, this.limit);
  }
}

import { formatDuration, parseDuration } from '../../../engine/time/duration';
import type { InputIssue } from '../../issues';
import type { Playbook } from '../schema';
import { describePath, pathTo, stepGraph, type StepEdge, type StepGraph } from './stepGraph';

/*
 * Waits add up: `wait 3d` then `wait 5d` under `maxDuration: 7d` each pass the one-wait rule
 * (rules/timing.ts), yet the send after them never goes out, because the run ends at its deadline.
 * Each edge of the step graph counts the least time it certainly takes:
 * - `wait`: its duration;
 * - `waitForEvent`: its timeout on the way to onTimeout, nothing on the way to onEvent (the event
 *   may come at once);
 * - `waitUntil`, `waitUntilDate`, and a send held by quiet hours or a cap: nothing, since the window
 *   may be open now and the date may be past; they only ever add time, so the sums stay lower bounds.
 * A send is reported when the longest such sum on some path to it reaches maxDuration: on that path
 * the run has certainly ended (a run ends at its deadline, so reaching it exactly is too late).
 * A step that leads back to an earlier one is not followed round again: a loop can only add time.
 */

/** The least time leaving `from` along `edge` takes. */
function leastTime(graph: StepGraph, from: number, edge: StepEdge): number {
  const step = graph.steps[from];
  if (step?.type === 'wait') return parseDuration(step.duration) ?? 0;
  if (step?.type === 'waitForEvent' && edge.field === 'onTimeout') return parseDuration(step.timeout) ?? 0;
  return 0;
}

/** The steps reached from the first one, in an order where each comes after every step leading to it. */
function forwardOrder(graph: StepGraph): { order: number[]; back: Set<string> } {
  const state = new Map<number, 'open' | 'done'>();
  const back = new Set<string>();
  const postorder: number[] = [];
  const visit = (index: number): void => {
    state.set(index, 'open');
    for (const edge of graph.edges[index] ?? []) {
      const seen = state.get(edge.to);
      if (seen === 'open') back.add(`${index}>${edge.to}`);
      else if (seen === undefined) visit(edge.to);
    }
    state.set(index, 'done');
    postorder.push(index);
  };
  if (graph.steps.length > 0) visit(0);
  return { order: postorder.reverse(), back };
}

export function waitPathIssues(playbook: Playbook): InputIssue[] {
  const max = parseDuration(playbook.maxDuration);
  if (max === undefined) return [];
  const graph = stepGraph(playbook);
  // One wait already longer than maxDuration is reported on its own; sums through it would repeat it.
  const tooLong = graph.steps.some((step) => {
    const ms = parseDuration(
      step.type === 'wait' ? step.duration : step.type === 'waitForEvent' ? step.timeout : '',
    );
    return ms !== undefined && ms > max;
  });
  if (tooLong) return [];

  const { order, back } = forwardOrder(graph);
  const longest = new Map<number, number>([[0, 0]]);
  const parent = new Map<number, number>();
  /** The least time of the edge that leads to each step on its longest path. */
  const via = new Map<number, number>();
  for (const from of order) {
    const elapsed = longest.get(from);
    if (elapsed === undefined) continue;
    for (const edge of graph.edges[from] ?? []) {
      if (back.has(`${from}>${edge.to}`)) continue;
      const ms = leastTime(graph, from, edge);
      if (elapsed + ms > (longest.get(edge.to) ?? -1)) {
        longest.set(edge.to, elapsed + ms);
        parent.set(edge.to, from);
        via.set(edge.to, ms);
      }
    }
  }

  const issues: InputIssue[] = [];
  graph.steps.forEach((step, index) => {
    const elapsed = longest.get(index);
    if (step.type !== 'send' || elapsed === undefined || elapsed < max) return;
    const path = pathTo(parent, index);
    const waits = path.slice(1).flatMap((to, i) => {
      const ms = via.get(to) ?? 0;
      return ms > 0 ? [`${graph.steps[path[i]!]?.id ?? '?'} ${formatDuration(ms)}`] : [];
    });
    issues.push({
      path: `steps[${index}]`,
      message:
        `step "${step.id}" is reached only after at least ${formatDuration(elapsed)} of waiting on the path ` +
        `${describePath(graph, path)} (${waits.join(' + ')}), and maxDuration is ${playbook.maxDuration}: ` +
        'the run ends before this step sends (shorten the waits on this path, or raise maxDuration ' +
        `above ${formatDuration(elapsed)})`,
    });
  });
  return issues;
}

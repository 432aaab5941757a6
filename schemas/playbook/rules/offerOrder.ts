import { parseTemplate, templateReferences, TemplateSyntaxError } from '../../../engine/template';
import type { InputIssue } from '../../issues';
import type { Condition, Playbook, Template } from '../schema';
import { describePath, pathTo, stepGraph, type StepGraph } from './stepGraph';

/*
 * `offer.…` holds what a decideOffer step chose, so a step that reads it must come after one on
 * every path from the first step: through a branch or a waitForEvent that skips the decideOffer, a
 * send would go out with an empty `{{offer.code}}`. A playbook with no decideOffer at all is
 * reported by the template and condition rules ("there is never an offer"), not here.
 */

const FIELDS: (keyof Template)[] = ['subject', 'text', 'html', 'sms'];

/** Each step reachable from the first one without passing a decideOffer, with the step before it. */
function reachedUndecided(graph: StepGraph): Map<number, number | undefined> {
  const reached = new Map<number, number | undefined>([[0, undefined]]);
  const queue = [0];
  for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
    // What follows a decideOffer has its decision: an offer, or none (`onNoOffer`).
    if (graph.steps[index]?.type === 'decideOffer') continue;
    for (const edge of graph.edges[index] ?? []) {
      if (reached.has(edge.to)) continue;
      reached.set(edge.to, index);
      queue.push(edge.to);
    }
  }
  return reached;
}

/** The distinct `{{offer.…}}` tags a template reads; a field that does not parse is reported elsewhere. */
function offerTags(template: Template): string[] {
  const tags = new Set<string>();
  for (const field of FIELDS) {
    const source = template[field];
    if (source === undefined) continue;
    try {
      for (const reference of templateReferences(parseTemplate(source))) {
        if (reference.path.startsWith('offer.')) tags.add(reference.tag);
      }
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
    }
  }
  return [...tags];
}

/** The `offer.…` paths a condition reads, in its `field`s and `value.ref`s. */
function offerReads(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(offerReads);
  if ('any' in condition) return condition.any.flatMap(offerReads);
  if ('not' in condition) return offerReads(condition.not);
  const reads = [condition.field];
  if ('value' in condition && typeof condition.value === 'object' && !Array.isArray(condition.value))
    reads.push(condition.value.ref);
  return reads.filter((path) => path.startsWith('offer.'));
}

export function offerOrderIssues(playbook: Playbook): InputIssue[] {
  if (!playbook.steps.some((step) => step.type === 'decideOffer')) return [];
  const graph = stepGraph(playbook);
  const reached = reachedUndecided(graph);
  const parents = new Map<number, number>();
  for (const [index, parent] of reached) if (parent !== undefined) parents.set(index, parent);
  const why = (index: number, what: string) =>
    `${what}, but the run can reach it through ${describePath(graph, pathTo(parents, index))} ` +
    'without passing a decideOffer step, so there is no offer yet and it would be empty ' +
    '(put a decideOffer step before it on every path)';

  const issues: InputIssue[] = [];
  for (const index of [...reached.keys()].sort((a, b) => a - b)) {
    const step = graph.steps[index];
    if (step?.type === 'send') {
      const template = playbook.templates[step.template];
      const tags = template ? offerTags(template) : [];
      if (tags.length > 0) {
        issues.push({
          path: `steps[${index}].template`,
          message: why(
            index,
            `step "${step.id}" sends template "${step.template}", which reads ${tags.join(', ')}`,
          ),
        });
      }
      step.recheck?.forEach((condition, i) => {
        const reads = offerReads(condition);
        if (reads.length > 0)
          issues.push({
            path: `steps[${index}].recheck[${i}]`,
            message: why(index, `step "${step.id}" re-checks ${reads.join(', ')}`),
          });
      });
    }
    if (step?.type === 'branch') {
      step.cases.forEach((c, i) => {
        const reads = offerReads(c.when);
        if (reads.length > 0)
          issues.push({
            path: `steps[${index}].cases[${i}].when`,
            message: why(index, `step "${step.id}" reads ${reads.join(', ')}`),
          });
      });
    }
  }
  return issues;
}

import { dayOf, foldCells, successKey } from '../engine/measurement/liftCells';
import { emptyArm, type PlaybookLiftData } from '../engine/measurement/liftTally';
import type { Playbook } from '../schemas/playbook/schema';
import { readCells, type LiftCellCollections } from './liftCells';
import { definitionOf, type PlaybookCollections } from './playbookVersions';

/*
 * Reads what `journeys report lift` judges from the lift rollup (engine/measurement/liftCells.ts):
 * the cells of the requested days, each read by `_id`, so the report costs the same however many
 * events are stored. The rollup is kept up as events are routed (store/liftAttributions.ts) and
 * rebuilt from entries and events by store/liftRebuild.ts.
 */

export interface LiftQuery {
  playbookId?: string;
  /** Entries at or after this time: the start of a UTC day (the cells' granularity). */
  from?: Date;
  /** Entries before this time: the start of a UTC day. */
  to?: Date;
}

export interface LiftSources extends LiftCellCollections {
  playbooks: PlaybookCollections;
}

/**
 * The definition whose success metric names a playbook's yardstick: the active version, or, for a
 * playbook paused or retired since, the version that was last activated, else the latest
 * published. Scans the playbook versions, a small collection (a few per playbook).
 */
export async function successDefinition(
  collections: PlaybookCollections,
  playbookId: string,
): Promise<Playbook | undefined> {
  const state = await collections.states.findOne({ _id: playbookId });
  const activated =
    state?.activeHash === undefined
      ? null
      : await collections.versions.findOne({ playbookId, hash: state.activeHash });
  const version =
    activated ?? (await collections.versions.findOne({ playbookId }, { sort: { publishedAt: -1 } }));
  return version ? definitionOf(version) : undefined;
}

/**
 * Per playbook (sorted by ID) and arm, for the customers whose first entry in the range lies in
 * it. Each entry was judged by the success definition it entered with (the rebuild: by the one
 * successDefinition names); entries judged by another than today's are counted in
 * `judgedByOtherDefinitions`.
 */
export async function liftData(sources: LiftSources, query: LiftQuery): Promise<PlaybookLiftData[]> {
  const fromDay = query.from && dayOf(query.from);
  const toDay = query.to && dayOf(query.to);
  const cells = await readCells(sources, {
    ...(query.playbookId !== undefined && { playbookId: query.playbookId }),
    ...(fromDay !== undefined && { fromDay }),
    ...(toDay !== undefined && { toDay }),
  });
  const byPlaybook = new Map<string, typeof cells>();
  for (const cell of cells)
    byPlaybook.set(cell.playbookId, [...(byPlaybook.get(cell.playbookId) ?? []), cell]);
  const out: PlaybookLiftData[] = [];
  for (const playbookId of [...byPlaybook.keys()].sort()) {
    const folded = foldCells(byPlaybook.get(playbookId)!, fromDay, toDay);
    const { arms, holdoutEpochs } = folded;
    if (arms.treatment.customers + arms.control.customers === 0) continue;
    const definition = await successDefinition(sources.playbooks, playbookId);
    if (!definition) {
      // Without a yardstick only the customers mean anything: the rest of the sums are dropped.
      const customersOnly = { treatment: emptyArm(), control: emptyArm() };
      customersOnly.treatment.customers = arms.treatment.customers;
      customersOnly.control.customers = arms.control.customers;
      out.push({
        playbookId,
        arms: customersOnly,
        holdoutEpochs,
        na: 'no published definition, so no success metric',
      });
      continue;
    }
    const others = folded.judgedBy.filter((key) => key !== successKey(definition.success)).length;
    out.push({
      playbookId,
      arms,
      holdoutEpochs,
      success: definition.success,
      currencies: folded.currencies,
      unpricedEngagements: folded.unpricedEngagements,
      ...(others > 0 && { judgedByOtherDefinitions: others }),
    });
  }
  return out;
}

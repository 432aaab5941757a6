import type { Collection } from 'mongodb';
import { InvalidEventError } from '../schemas/events/parse';
import type { JourneyEvent } from '../schemas/events/schema';
import type { PublishOutcome } from '../schemas/events/publisher';
import type { EventRecord } from '../store/collections';
import { acceptEvents, markAllRouted, type Acceptance, type Arrival, type RoutedMark } from '../store/events';
import { forEachConcurrently } from './pool';
import { publishStages } from './publishStages';

/** The runs an event reached: the first ones by workflow ID, and how many in all. */
export interface Routed {
  deliveredTo: string[];
  count: number;
}

export interface BatchDeps {
  events: Collection<EventRecord>;
  /** Customers whose events are routed at once. */
  concurrency: number;
  now(): Date;
  /** Validates one input as received at `receivedAt`; throws InvalidEventError. */
  parse(input: unknown, receivedAt: Date): JourneyEvent;
  /** Applies and routes one accepted event (profile, offers, runs), as a single publish does. */
  route(event: JourneyEvent): Promise<Routed>;
}

type Outcomes = PublishOutcome[];

/**
 * A batch of events published with bulk writes, meaning what publishing them one by one in the
 * given order means. The batch is cut into stages (router/publishStages.ts); for each stage: every
 * input is validated (a bad one is `rejected`, the others go on), the inbox records of its events
 * are inserted with ONE unordered insertMany (acceptEvents: a record the unique key refuses is a
 * duplicate or an unrouted retry, as acceptEvent decides), customers' lanes are routed side by
 * side, each in order, and the "routed" marks of the stage are written in bulkWrites (markAllRouted). Marks
 * are written before the next stage is accepted, so an eventId repeated in a later stage is judged
 * against them, as it would be one by one.
 */
export async function publishBatch(inputs: readonly unknown[], deps: BatchDeps): Promise<Outcomes> {
  const outcomes: Outcomes = [];
  for (const lanes of publishStages(inputs)) await publishStage(inputs, lanes, deps, outcomes);
  return outcomes;
}

async function publishStage(
  inputs: readonly unknown[],
  lanes: number[][],
  deps: BatchDeps,
  outcomes: Outcomes,
): Promise<void> {
  const arrivals = new Map<number, Arrival>();
  for (const index of lanes.flat().sort((a, b) => a - b)) {
    const arrival = validate(index, inputs[index], deps);
    if ('status' in arrival) outcomes[index] = arrival;
    else arrivals.set(index, arrival);
  }
  // The first input of each eventId is stored; a later one in its lane (publishStages keeps a
  // repeated eventId in one lane) answers as a duplicate of the first, once the first is routed.
  const firstOf = new Map<string, number>();
  for (const [index, { event }] of arrivals)
    if (!firstOf.has(event.eventId)) firstOf.set(event.eventId, index);
  const firsts = [...firstOf.values()];
  const accepted = await acceptEvents(
    deps.events,
    firsts.map((index) => arrivals.get(index) as Arrival),
  );
  const acceptance = new Map<number, Acceptance>(
    firsts.map((index, i) => [index, accepted[i] as Acceptance]),
  );

  const marks: RoutedMark[] = [];
  const publishLane = async (lane: number[]): Promise<void> => {
    for (const index of lane) {
      const arrival = arrivals.get(index);
      if (arrival === undefined) continue;
      const { eventId } = arrival.event;
      const first = firstOf.get(eventId) as number;
      const seen = acceptance.get(index);
      if (seen === undefined) {
        const earlier = outcomes[first];
        if (earlier === undefined || earlier.status === 'rejected') throw new Error(`${eventId}: no outcome`);
        const { deliveredTo, deliveredCount } = earlier;
        outcomes[index] = {
          index,
          eventId,
          status: 'duplicate',
          deliveredTo,
          ...(deliveredCount !== undefined && { deliveredCount }),
        };
      } else if (seen.kind === 'duplicate') {
        const { routedTo, routedCount } = seen;
        outcomes[index] = {
          index,
          eventId,
          status: 'duplicate',
          deliveredTo: routedTo,
          ...(routedCount !== undefined && { deliveredCount: routedCount }),
        };
      } else {
        const { deliveredTo, count } = await deps.route(arrival.event);
        const deliveredCount = count > deliveredTo.length ? count : undefined;
        marks.push({
          eventId,
          routedTo: deliveredTo,
          ...(deliveredCount !== undefined && { routedCount: deliveredCount }),
        });
        outcomes[index] = {
          index,
          eventId,
          status: 'accepted',
          deliveredTo,
          ...(deliveredCount !== undefined && { deliveredCount }),
        };
      }
    }
  };
  try {
    await forEachConcurrently(lanes, deps.concurrency, publishLane);
  } catch (error) {
    // What was routed is still marked, so the caller's retry routes only the rest again; the
    // routing failure is the one reported.
    await markAllRouted(deps.events, marks).catch(() => undefined);
    throw error;
  }
  await markAllRouted(deps.events, marks);
}

function validate(index: number, input: unknown, deps: BatchDeps): Arrival | PublishOutcome {
  const receivedAt = deps.now();
  try {
    return { event: deps.parse(input, receivedAt), receivedAt };
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    const eventId = (input as { eventId?: unknown } | null)?.eventId;
    return {
      index,
      status: 'rejected',
      issues: error.issues,
      ...(typeof eventId === 'string' && { eventId }),
    };
  }
}

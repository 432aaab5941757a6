/*
 * How a batch of events is published concurrently without changing what it means. Events of one
 * customer must be applied in the order given (a profile update, then the order it precedes), but
 * events of different customers touch different profiles and runs, so they can go side by side.
 * A batch is cut into stages run one after another; a stage holds lanes, one per customer, that run
 * concurrently, each lane in order. An event with no customer (a catalog event or a seasonal moment,
 * which fan out to many customers, or an input too broken to name one) is a stage of its own, as is
 * an eventId already used in another lane of the stage, so a repeated eventId is judged after the
 * first one, as it would be one by one.
 */

/** Stages of lanes of input indexes: `stages[s][l]` is a lane, in input order. */
export type PublishStages = number[][][];

export function publishStages(inputs: readonly unknown[]): PublishStages {
  const stages: PublishStages = [];
  let lanes = new Map<string, number[]>();
  let laneOfEventId = new Map<string, string>();
  const close = (): void => {
    if (lanes.size > 0) stages.push([...lanes.values()]);
    lanes = new Map();
    laneOfEventId = new Map();
  };
  inputs.forEach((input, index) => {
    const { customerId, eventId } = handles(input);
    if (customerId === undefined) {
      close();
      stages.push([[index]]);
      return;
    }
    if (eventId !== undefined && (laneOfEventId.get(eventId) ?? customerId) !== customerId) close();
    if (eventId !== undefined) laneOfEventId.set(eventId, customerId);
    const lane = lanes.get(customerId);
    if (lane === undefined) lanes.set(customerId, [index]);
    else lane.push(index);
  });
  close();
  return stages;
}

function handles(input: unknown): { customerId?: string; eventId?: string } {
  if (typeof input !== 'object' || input === null) return {};
  const { customerId, eventId } = input as Record<string, unknown>;
  return {
    ...(typeof customerId === 'string' && { customerId }),
    ...(typeof eventId === 'string' && { eventId }),
  };
}

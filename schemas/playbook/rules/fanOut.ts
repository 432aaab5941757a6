import { FAN_OUT_EVENT_TYPES, type EventType } from '../../events/schema';
import type { InputIssue } from '../../issues';
import type { Playbook } from '../schema';

/*
 * A catalog event names a product, not a customer: a playbook it triggers must say whom it reaches
 * (`trigger.fanOut`), and a customer event, which names its customer, must not. The client checks
 * the same rule before routing to playbooks built in code.
 */

function isFanOutType(type: EventType): boolean {
  return (FAN_OUT_EVENT_TYPES as readonly string[]).includes(type);
}

/** A moment reaches its cohort and nothing else; a product event has no cohort to reach. */
function cohortIssues(event: EventType, to: readonly string[]): InputIssue[] {
  const season = event === 'season.started';
  if (season && (to.length !== 1 || to[0] !== 'cohort')) {
    return [
      {
        path: 'trigger.fanOut.to',
        message:
          'season.started reaches the cohort its calendar moment defines: use to: [cohort] (narrow it with audience)',
      },
    ];
  }
  if (!season && to.includes('cohort')) {
    return [
      {
        path: 'trigger.fanOut.to',
        message: `cohort is only for season.started: ${event} reaches wishlisted, viewed or tier`,
      },
    ];
  }
  return [];
}

export function fanOutIssues(playbook: Playbook): InputIssue[] {
  const { event, fanOut } = playbook.trigger;
  if (!isFanOutType(event)) {
    return fanOut === undefined
      ? []
      : [
          {
            path: 'trigger.fanOut',
            message: `only for events without a customer (${FAN_OUT_EVENT_TYPES.join(', ')}): ${event} already names its customer, so remove fanOut`,
          },
        ];
  }
  if (fanOut === undefined) {
    return [
      {
        path: 'trigger.fanOut',
        message: `missing: ${event} has no customer, so say whom it reaches, e.g. fanOut: { to: [wishlisted, viewed], lookback: 90d }`,
      },
    ];
  }
  const cohort = cohortIssues(event, fanOut.to);
  if (cohort.length > 0) return cohort;
  const toTier = fanOut.to.includes('tier');
  if (toTier && fanOut.tiers === undefined && event !== 'product.launched') {
    return [
      {
        path: 'trigger.fanOut.tiers',
        message: `missing: fanOut.to includes tier, so list them, e.g. tiers: [gold, platinum] (only product.launched can take them from its earlyAccessTiers)`,
      },
    ];
  }
  if (!toTier && fanOut.tiers !== undefined) {
    return [
      {
        path: 'trigger.fanOut.tiers',
        message: 'only used when fanOut.to includes tier: add tier to to, or remove tiers',
      },
    ];
  }
  return [];
}

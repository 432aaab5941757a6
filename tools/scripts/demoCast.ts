import type { DemoProduct } from '../demo/catalog';
import type { DemoStore } from '../demo/generate';
import type { Arm, HoldoutScheme } from '../../engine/measurement/holdout';
import { customerInArms, daytimeZone } from '../devstack/sampleCustomers';
import type { JourneyEvent, JourneyEventInput } from '../../schemas/events/schema';

/*
 * The demo's cast, drawn from `journeys demo generate`'s synthetic store: one generated customer
 * per playbook, with the generated profile (name, contacts, tier, consents, churn score) under a
 * fresh ID per run. Fresh IDs because .data/ outlives a run: caps, cooldowns and "never re-enter"
 * rules would otherwise hold the second run's messages back.
 */

type GeneratedProfile = Extract<JourneyEvent, { type: 'customer.upserted' }>;
export type ProfileData = GeneratedProfile['data'];

export interface CastMember {
  customerId: string;
  /** The generated customer this one was drawn from (demo-c0042). */
  generatedId: string;
  firstName: string;
  data: ProfileData;
}

/** What a member must be able to receive, and which arm of which playbook they must be in. */
export interface Role {
  reach: 'email' | 'phoneOnly' | 'emailAndPhone';
  /** Their own playbook in treatment; playbooks the same events also enter, in control. */
  treatment: string;
  control?: string[];
  where?: (data: ProfileData) => boolean;
}

const optedOut = (data: ProfileData) =>
  data.consents?.email?.marketing === false || data.consents?.sms?.marketing === false;

function reaches(data: ProfileData, reach: Role['reach']): boolean {
  if (reach === 'email') return data.email !== undefined;
  if (reach === 'phoneOnly') return data.phone !== undefined && data.email === undefined;
  return data.email !== undefined && data.phone !== undefined;
}

export class DemoCast {
  private readonly profiles: GeneratedProfile[];
  private readonly used = new Set<string>();
  /** First names already cast: two Oskars in one tour would read as one customer. */
  private readonly names = new Set<string>();
  readonly members: CastMember[] = [];

  constructor(
    store: DemoStore,
    private readonly scheme: HoldoutScheme,
    private readonly runTag: string,
    private readonly holdout: (playbookId: string) => number,
  ) {
    this.profiles = store.events.filter((e): e is GeneratedProfile => e.type === 'customer.upserted');
  }

  /**
   * The next unused generated customer who fits the role. Their ID gets a suffix that the real
   * holdout functions put in the arms the role asks for: the demo shows its message on purpose,
   * instead of by chance, and a playbook the same event enters (a first order starts three) is held
   * out for them, so the one message a day the email cap allows is this playbook's.
   */
  pick(role: Role): CastMember {
    const found = this.profiles.find(
      (p) =>
        !this.used.has(p.customerId) &&
        !optedOut(p.data) &&
        p.data.firstName !== undefined &&
        !this.names.has(p.data.firstName) &&
        reaches(p.data, role.reach) &&
        // Only the VIP scene's member is platinum: the launch's fan-out reaches every platinum profile.
        (role.treatment === 'vip-early-access') === (p.data.loyaltyTier === 'platinum') &&
        (role.where?.(p.data) ?? true),
    );
    if (found === undefined) throw new Error(`no generated customer fits the ${role.treatment} scene`);
    this.used.add(found.customerId);
    this.names.add(found.data.firstName ?? '');
    const arm = (playbookId: string, wanted: Arm) => ({
      playbookId,
      holdout: this.holdout(playbookId),
      arm: wanted,
    });
    const customerId = customerInArms(`demo-${this.runTag}-${found.customerId.slice(5)}`, this.scheme, [
      arm(role.treatment, 'treatment'),
      ...(role.control ?? []).map((id) => arm(id, 'control')),
    ]);
    const member: CastMember = {
      customerId,
      generatedId: found.customerId,
      firstName: found.data.firstName ?? found.customerId,
      // A zone where it is daytime now: SMS quiet hours and "next 09:00–20:00" waits would
      // otherwise hold the demo's messages until the customer's morning.
      data: { ...found.data, timezone: daytimeZone() },
    };
    this.members.push(member);
    return member;
  }

  /** The member's generated profile, published as the store's CRM would. */
  static upserted(member: CastMember): JourneyEventInput {
    return {
      type: 'customer.upserted',
      eventId: `evt-${member.customerId}-profile`,
      customerId: member.customerId,
      occurredAt: new Date().toISOString(),
      data: member.data,
    };
  }
}

/** Hands out distinct products of the generated catalog, so no two scenes' fan-outs overlap. */
export class ProductPicker {
  private readonly used = new Set<string>();
  private readonly usedCategories = new Set<string>();

  constructor(private readonly products: readonly DemoProduct[]) {}

  /** A product not handed out yet; `newCategory` also keeps its category to this scene alone. */
  pick(where: (p: DemoProduct) => boolean, newCategory = false): DemoProduct {
    const found = this.products.find(
      (p) => !this.used.has(p.sku) && where(p) && !(newCategory && this.usedCategories.has(p.category)),
    );
    if (found === undefined) throw new Error('the generated catalog has no product left for a scene');
    this.used.add(found.sku);
    this.usedCategories.add(found.category);
    return found;
  }
}

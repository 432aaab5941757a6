import type { Client } from '@temporalio/client';
import type { StoredSms } from '../devstack/twilioEndpoint';
import { timerWorkflowId } from '../../engine/triggers/timerCommands';
import type { Collections, DeliveryRecord } from '../../store/collections';
import type { Scene } from './demoScenes';

/*
 * What the playbook tour prints: per scene, what the customer did and the message it got (or why
 * none), and per playbook, the runs the Temporal UI lists under its PlaybookId.
 */

/** Settled: the send step decided. `sending` and `pending` may still turn into a message. */
const settled = (r: DeliveryRecord) => r.status !== 'sending' && r.status !== 'pending';

/**
 * Waits until every scene's own playbook has settled a delivery for its customer, or `timeoutMs`
 * passed; returns the customers' delivery records then.
 */
export async function awaitScenes(
  deliveries: Collections['deliveries'],
  scenes: readonly Scene[],
  timeoutMs: number,
): Promise<DeliveryRecord[]> {
  const ids = scenes.map((s) => s.member.customerId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await deliveries.find({ customerId: { $in: ids } }).toArray();
    const open = scenes.filter(
      (s) =>
        !records.some(
          (r) => r.customerId === s.member.customerId && r.playbookId === s.playbookId && settled(r),
        ),
    );
    if (open.length === 0 || Date.now() > deadline) return records;
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 500));
  }
}

const seconds = (ms: number) => `${Math.max(0, ms / 1000).toFixed(1)}s`;
const clip = (text: string, max = 110) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One line per scene and, indented, what the customer's other playbooks did with the same events. */
export function formatScenes(
  scenes: readonly Scene[],
  records: readonly DeliveryRecord[],
  sms: readonly StoredSms[],
): string[] {
  const lines: string[] = [];
  for (const scene of scenes) {
    const mine = records.filter((r) => r.customerId === scene.member.customerId);
    const own = mine.filter((r) => r.playbookId === scene.playbookId);
    const sent = own.find((r) => r.status === 'sent');
    const head = `${scene.playbookId}: ${scene.member.firstName} ${scene.story}`;
    if (sent) {
      const after = seconds(sent.createdAt.getTime() - scene.at);
      const body =
        sent.channel === 'sms'
          ? `"${clip(sms.find((m) => m.sid === sent.providerMessageId)?.body ?? '')}"`
          : `"${sent.subject ?? ''}"`;
      lines.push(`  ${head} → ${sent.channel === 'sms' ? 'SMS' : 'email'} after ${after}: ${body}`);
    } else {
      const why = own.map((r) => `${r.status}${r.reason ? ` (${r.reason})` : ''}`).join(', ');
      lines.push(`  ${head} → no message${why ? `: ${why}` : ' yet'}`);
    }
    for (const r of own.filter((o) => o !== sent))
      lines.push(`      then ${r.step}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
    const others = mine.filter((r) => r.playbookId !== scene.playbookId);
    if (others.length > 0)
      lines.push(
        `      same events, other playbooks: ${others
          .map((r) => `${r.playbookId} ${r.status}${r.reason ? ` (${r.reason})` : ''}`)
          .join('; ')}`,
      );
  }
  return lines;
}

/** Runs per playbook as the Temporal UI's list finds them, by the PlaybookId search attribute. */
export async function runsByPlaybook(
  temporal: Client,
  playbookIds: readonly string[],
  customerPrefix: string,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const id of playbookIds) {
    let n = 0;
    const query = `PlaybookId = "${id}" AND CustomerId STARTS_WITH "${customerPrefix}"`;
    for await (const _run of temporal.workflow.list({ query })) n++;
    counts.set(id, n);
  }
  return counts;
}

/** The durable timers scenes left armed: due weeks ahead, on the real clock, and running meanwhile. */
export async function timerLines(temporal: Client, scenes: readonly Scene[]): Promise<string[]> {
  const lines: string[] = [];
  for (const { member, timer } of scenes) {
    if (timer === undefined) continue;
    const workflowId = timerWorkflowId(timer.timerId);
    const status = await temporal.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        (d) => d.status.name,
        () => 'NOT FOUND',
      );
    const days = Math.round((timer.dueAt - Date.now()) / 86_400_000);
    lines.push(
      `  ${member.firstName}'s order also armed ${workflowId} (${status}): ${timer.event.type} due ${new Date(timer.dueAt).toISOString()}, in ${days} days, unless another order moves it`,
    );
  }
  return lines;
}

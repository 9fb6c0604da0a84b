/**
 * The timeline of each purchase, as the parties in the sandbox saw it: what the
 * demo shop shows live and what a purchase run reports.
 *
 * Every party knows a purchase by its own id (the merchant by the order's
 * transactionReference, the 3-D Secure server by threeDSServerTransID, Enfuce ID
 * by its sessionId, …). A party that learns two of them links them, and from then
 * on both name one timeline; events recorded under an id before its link are
 * moved over, so the order in which parties learn of each other does not matter.
 */
import { KEPT_PER_PARTY } from '../common/bounded-map';

export type Party = 'shop' | 'merchant' | '3ds-server' | 'acs' | 'enfuce-id' | 'authenticator' | 'device';

export type Tone = 'info' | 'ok' | 'warn' | 'fail';

export interface TraceEvent {
  at: string;
  party: Party;
  text: string;
  tone: Tone;
}

type Listener = (event: TraceEvent) => void;


export class PurchaseTrace {
  private readonly parentOf = new Map<string, string>();
  private readonly timelines = new Map<string, TraceEvent[]>();
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly onEvent: (id: string, event: TraceEvent) => void = () => undefined) {}

  record(id: string, party: Party, text: string, tone: Tone = 'info'): void {
    const root = this.rootOf(id);
    const event: TraceEvent = { at: new Date().toISOString(), party, text, tone };
    this.timelineOf(root).push(event);
    this.onEvent(root, event);
    for (const listener of this.listeners.get(root) ?? []) listener(event);
  }

  /** From now on `id` and `parentId` name one timeline. */
  link(id: string, parentId: string): void {
    const root = this.rootOf(parentId);
    const child = this.rootOf(id);
    if (child === root) return;
    this.parentOf.set(child, root);
    const moved = this.timelines.get(child) ?? [];
    this.timelines.delete(child);
    const timeline = this.timelineOf(root);
    timeline.push(...moved);
    timeline.sort((a, b) => a.at.localeCompare(b.at));
    const childListeners = this.listeners.get(child);
    this.listeners.delete(child);
    for (const listener of this.listeners.get(root) ?? []) moved.forEach(listener);
    for (const listener of childListeners ?? []) this.listenersOf(root).add(listener);
  }

  events(id: string): TraceEvent[] {
    return [...(this.timelines.get(this.rootOf(id)) ?? [])];
  }

  /** Calls `listener` with every later event of this purchase; returns the way to stop. */
  subscribe(id: string, listener: Listener): () => void {
    const root = this.rootOf(id);
    this.listenersOf(root).add(listener);
    return () => {
      for (const set of this.listeners.values()) set.delete(listener);
    };
  }

  private rootOf(id: string): string {
    let current = id;
    for (let parent = this.parentOf.get(current); parent !== undefined; parent = this.parentOf.get(current)) current = parent;
    return current;
  }

  private timelineOf(root: string): TraceEvent[] {
    let timeline = this.timelines.get(root);
    if (!timeline) {
      timeline = [];
      this.timelines.set(root, timeline);
      this.forgetOldest();
    }
    return timeline;
  }

  private listenersOf(root: string): Set<Listener> {
    let set = this.listeners.get(root);
    if (!set) {
      set = new Set();
      this.listeners.set(root, set);
    }
    return set;
  }

  private forgetOldest(): void {
    if (this.timelines.size <= KEPT_PER_PARTY) return;
    const oldest = this.timelines.keys().next().value as string;
    this.timelines.delete(oldest);
    for (const [child, parent] of this.parentOf) if (parent === oldest || child === oldest) this.parentOf.delete(child);
  }
}

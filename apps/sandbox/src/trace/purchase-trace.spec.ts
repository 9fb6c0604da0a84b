import { PurchaseTrace, TraceEvent } from './purchase-trace';

describe('PurchaseTrace', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps one timeline for ids linked to each other, whichever party learned of the link first', () => {
    const trace = new PurchaseTrace();
    trace.record('order-1', 'shop', 'paid');
    trace.record('3ds-1', '3ds-server', 'AReq');
    trace.link('3ds-1', 'order-1');
    trace.record('session-1', 'enfuce-id', 'webhook');
    trace.link('session-1', '3ds-1');

    const texts = trace.events('order-1').map((event) => event.text);
    expect(texts).toEqual(['paid', 'AReq', 'webhook']);
    expect(trace.events('session-1').map((event) => event.text)).toEqual(texts);
  });

  it('orders moved events by time', () => {
    const trace = new PurchaseTrace();
    const at = (iso: string) => jest.spyOn(Date.prototype, 'toISOString').mockReturnValueOnce(iso);
    at('2026-01-01T00:00:02.000Z');
    trace.record('order-1', 'merchant', 'second');
    at('2026-01-01T00:00:01.000Z');
    trace.record('3ds-1', '3ds-server', 'first');
    trace.link('3ds-1', 'order-1');

    expect(trace.events('order-1').map((event) => event.text)).toEqual(['first', 'second']);
  });

  it('tells a subscriber of later events, including those recorded under an id linked afterwards', () => {
    const trace = new PurchaseTrace();
    const seen: TraceEvent[] = [];
    trace.record('order-1', 'shop', 'before subscribing');
    trace.subscribe('order-1', (event) => seen.push(event));
    trace.record('session-1', 'device', 'recorded before the link');
    trace.link('session-1', 'order-1');
    trace.record('session-1', 'device', 'after the link');

    expect(seen.map((event) => event.text)).toEqual(['recorded before the link', 'after the link']);
  });

  it('stops telling a subscriber that unsubscribed', () => {
    const trace = new PurchaseTrace();
    const seen: string[] = [];
    const stop = trace.subscribe('order-1', (event) => seen.push(event.text));
    trace.record('order-1', 'shop', 'one');
    stop();
    trace.record('order-1', 'shop', 'two');

    expect(seen).toEqual(['one']);
  });

  it('reports every event to its observer under the purchase’s first id', () => {
    const observed: string[] = [];
    const trace = new PurchaseTrace((id, event) => observed.push(`${id}: ${event.text}`));
    trace.link('session-1', 'order-1');
    trace.record('session-1', 'enfuce-id', 'webhook');

    expect(observed).toEqual(['order-1: webhook']);
  });
});

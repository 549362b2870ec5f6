import { describe, expect, it } from 'vitest';
import { updateFeedUrl } from '../../../src/main/shell/updates';
import { shouldOfferUpdate, SNOOZE_MS } from '../../../src/renderer/lib/update-offer';
import type { CallPhase } from '../../../src/renderer/softphone/engine-types';

describe("update feed URL: the organisation's own server", () => {
  it('is /updates/ on the configured server, keeping a mount path', () => {
    expect(updateFeedUrl('https://cobranza.example.com')).toBe('https://cobranza.example.com/updates/');
    expect(updateFeedUrl('https://cobranza.example.com:8443/')).toBe('https://cobranza.example.com:8443/updates/');
    expect(updateFeedUrl('https://example.com/cobranza')).toBe('https://example.com/cobranza/updates/');
    expect(updateFeedUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787/updates/');
  });

  it('is none without an http(s) server', () => {
    for (const u of [null, undefined, '', 'file:///x', 'not a url']) expect(updateFeedUrl(u), String(u)).toBeNull();
  });
});

describe('offering a downloaded update: between calls, never during one', () => {
  const ready = { status: 'ready', version: '0.2.0' } as const;
  const now = 1_000_000;

  it('offers a ready update when no call is on', () => {
    expect(shouldOfferUpdate({ update: ready, callPhase: null, snoozedUntil: null, now })).toBe(true);
    expect(shouldOfferUpdate({ update: ready, callPhase: 'ended', snoozedUntil: null, now })).toBe(true);
  });

  it('never offers while a call is dialled, rings, comes in or is on', () => {
    for (const callPhase of ['dialing', 'ringing', 'incoming', 'active'] as CallPhase[]) {
      expect(shouldOfferUpdate({ update: ready, callPhase, snoozedUntil: null, now }), callPhase).toBe(false);
    }
  });

  it('offers nothing when nothing is ready', () => {
    expect(shouldOfferUpdate({ update: { status: 'idle' }, callPhase: null, snoozedUntil: null, now })).toBe(false);
  });

  it('waits out "later", then offers again', () => {
    const snoozedUntil = now + SNOOZE_MS;
    expect(shouldOfferUpdate({ update: ready, callPhase: null, snoozedUntil, now })).toBe(false);
    expect(shouldOfferUpdate({ update: ready, callPhase: null, snoozedUntil, now: snoozedUntil })).toBe(true);
  });
});

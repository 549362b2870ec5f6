import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linkState, signLinkId, verifyToken, type PortalLink } from '../../../src/server/portal/links';
import { sessionCookie, sessionValid, lastFour } from '../../../src/server/portal/identity';
import { pickLang, TEXTS } from '../../../src/server/portal/texts';

const key = randomBytes(32);

describe('self-service link tokens', () => {
  it('carry their link id and verify only with the key that signed them', () => {
    const id = randomUUID();
    const token = signLinkId(key, id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    expect(verifyToken(key, token)).toBe(id);
    expect(verifyToken(randomBytes(32), token)).toBeNull();
  });

  it('refuse any tampering: a changed character in the id or the signature, a truncation, junk', () => {
    const token = signLinkId(key, randomUUID());
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(verifyToken(key, flipped), `position ${i}`).toBeNull();
    }
    expect(verifyToken(key, token.slice(0, -1))).toBeNull();
    expect(verifyToken(key, `${token}x`)).toBeNull();
    expect(verifyToken(key, '../../etc/passwd')).toBeNull();
  });

  it('expire, end when revoked or completed', () => {
    const now = new Date('2026-12-03T15:00:00Z');
    const link: PortalLink = {
      id: randomUUID(),
      orgId: randomUUID(),
      debtorId: randomUUID(),
      expiresAt: new Date('2026-12-10T00:00:00Z'),
      revokedAt: null,
      completedAt: null,
    };
    expect(linkState(link, now)).toBe('live');
    expect(linkState(link, new Date('2026-12-10T00:00:00Z'))).toBe('expired');
    expect(linkState({ ...link, revokedAt: now }, now)).toBe('revoked');
    expect(linkState({ ...link, completedAt: now }, now)).toBe('completed');
  });
});

describe('the session after the identity check', () => {
  it('is valid for its link only, and only until it ends', () => {
    const id = randomUUID();
    const now = new Date('2026-12-03T15:00:00Z');
    const c = sessionCookie(key, id, now);
    expect(sessionValid(key, id, c, now)).toBe(true);
    expect(sessionValid(key, randomUUID(), c, now)).toBe(false);
    expect(sessionValid(key, id, c, new Date(now.getTime() + 31 * 60_000))).toBe(false);
    expect(
      sessionValid(
        key,
        id,
        c.replace(/.$/, (x) => (x === 'A' ? 'B' : 'A')),
        now,
      ),
    ).toBe(false);
  });

  it('asks the last four digits of the national id, whatever its punctuation', () => {
    expect(lastFour('1.023.456.789')).toBe('6789');
    expect(lastFour('CC 79-123')).toBe('9123');
  });
});

describe('the page language', () => {
  it('is Spanish unless English is asked for; both languages have every text', () => {
    expect(pickLang(undefined, undefined, 'es-CO,es;q=0.9,en;q=0.5')).toBe('es');
    expect(pickLang(undefined, undefined, 'en-US,en')).toBe('en');
    expect(pickLang('es', 'en', 'en-US')).toBe('es');
    expect(Object.keys(TEXTS.en).sort()).toEqual(Object.keys(TEXTS.es).sort());
  });
});

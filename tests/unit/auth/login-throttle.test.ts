import { describe, expect, it } from 'vitest';
import { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS, LoginThrottle, throttleKey } from '../../../src/server/auth/login-throttle';

describe('login throttle', () => {
  const key = throttleKey(' Agente1 ', '10.0.0.7');

  it('lets a pair try until its failures in the window reach the limit, then until the oldest leaves it', () => {
    const t = new LoginThrottle();
    const t0 = 1_000_000;
    for (let i = 0; i < LOGIN_MAX_FAILURES - 1; i++) { t.failed(key, t0 + i * 1000); expect(t.retryAfter(key, t0 + i * 1000)).toBeNull(); }
    t.failed(key, t0 + 60_000);
    expect(t.retryAfter(key, t0 + 60_000)).toBe((LOGIN_WINDOW_MS - 60_000) / 1000);
    expect(t.retryAfter(throttleKey('agente1', '10.0.0.8'), t0 + 60_000)).toBeNull(); // another address
    expect(t.retryAfter(throttleKey('AGENTE1', '10.0.0.7'), t0 + 60_000)).not.toBeNull(); // same user, any case
    expect(t.retryAfter(key, t0 + LOGIN_WINDOW_MS - 1)).toBe(1);
    expect(t.retryAfter(key, t0 + LOGIN_WINDOW_MS)).toBeNull(); // the oldest failure left the window
  });

  it('a success clears the pair', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) t.failed(key, 5_000);
    expect(t.retryAfter(key, 5_000)).not.toBeNull();
    t.succeeded(key);
    expect(t.retryAfter(key, 5_000)).toBeNull();
  });
});

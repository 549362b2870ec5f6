/**
 * The instant the server judges contacts at. Real time in production; createServer({ now })
 * replaces it so tests can stand at a chosen legal hour (compliance depends on the hour).
 */
let nowFn: () => Date = () => new Date();

export function complianceNow(): Date {
  return nowFn();
}

export function setComplianceClock(fn: (() => Date) | null): void {
  nowFn = fn ?? (() => new Date());
}

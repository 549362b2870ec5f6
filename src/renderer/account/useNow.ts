import { useEffect, useState } from 'react';

/** The current instant, re-rendered every `ms` (the debtor's clock on the account screen). */
export function useNow(ms = 15_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

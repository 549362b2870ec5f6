import type { ContactPoint } from '../../shared/domain/entities';

export function CallButton(_props: { accountId: string; contactPoint: ContactPoint; disabled?: boolean }) {
  return null;
}
export function SoftphoneBar() {
  return null;
}

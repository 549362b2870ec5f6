import type { ComponentType, ReactNode } from 'react';
import type { Role } from '../../shared/domain/enums';
import type { AdminTab, View } from '../stores/nav';
import { AccountScreen } from './AccountScreen';
import { ApprovalsScreen } from '../approvals/ApprovalsScreen';
import { ComplianceAdminScreen } from '../admin/ComplianceAdminScreen';
import { ActivityScreen } from '../admin/ActivityScreen';
import { UsersAdminScreen } from '../admin/UsersAdminScreen';
import { TemplatesAdminScreen } from '../admin/TemplatesAdminScreen';
import { ViolationsScreen } from '../admin/ViolationsScreen';

/**
 * Every screen, by the view that shows it: the one place a screen is registered (a new view in
 * stores/nav.ts does not typecheck until it has its entry here; see docs/extending.md).
 * The queue is not here: it stays mounted under every view so its scroll and selection survive
 * opening an account (App.tsx hides it).
 */
export const SCREENS: { [N in View['name']]: (view: Extract<View, { name: N }>, active: boolean) => ReactNode } = {
  queue: () => null,
  account: (view, active) => <AccountScreen key={view.accountId} accountId={view.accountId} active={active} />,
  approvals: () => <ApprovalsScreen />,
};

export function renderView(view: View, active: boolean): ReactNode {
  return (SCREENS[view.name] as (v: View, a: boolean) => ReactNode)(view, active);
}

/** The administration cards, in the admin bar's order, with who may open each and its button. */
export const ADMIN_SCREENS: ReadonlyArray<{ tab: AdminTab; Screen: ComponentType; label: string; testId: string; roles: readonly Role[] }> =
  [
    { tab: 'rules', Screen: ComplianceAdminScreen, label: 'admin.compliance', testId: 'open-compliance-admin', roles: ['admin'] },
    { tab: 'activity', Screen: ActivityScreen, label: 'activity.title', testId: 'open-activity', roles: ['admin', 'team_lead'] },
    { tab: 'users', Screen: UsersAdminScreen, label: 'admin.users', testId: 'open-users-admin', roles: ['admin'] },
    { tab: 'templates', Screen: TemplatesAdminScreen, label: 'admin.templates', testId: 'open-templates-admin', roles: ['admin'] },
    { tab: 'violations', Screen: ViolationsScreen, label: 'admin.violations', testId: 'open-violations', roles: ['admin', 'team_lead'] },
  ];
